/** Slack installations with their tokens encrypted at rest, run unchanged against each database backend. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  SecretBox,
  SecretBoxError,
  type SlackInstallationData,
  SlackInstallationNotFound,
} from '../../src/persistence/index.js';
import type { SuiteContext } from './repository-suite.js';

const newTeamId = () => `T${randomBytes(4).toString('hex').toUpperCase()}`;
const newBox = () => new SecretBox(Uint8Array.from(randomBytes(32)));

function installation(team: string, secret: string): SlackInstallationData {
  return {
    team: { id: team, name: 'ML' },
    enterprise: undefined,
    isEnterpriseInstall: false,
    bot: {
      token: `xoxb-${secret}`,
      refreshToken: `xoxe-1-${secret}`,
      id: 'B1',
      userId: 'U0BOT',
      scopes: ['commands'],
    },
    user: { id: 'UINSTALLER', token: `xoxp-${secret}` },
    incomingWebhook: { url: `https://hooks.slack.com/services/${secret}`, channel: '#ml' },
    appId: 'A0FACEOFF',
  };
}

export function slackInstallationSuite(ctx: SuiteContext): void {
  describe('SlackInstallationRepository (tokens encrypted at rest)', () => {
    const rawRow = async (team: string) => {
      const rows = await ctx
        .db()
        .prisma.$queryRawUnsafe<{ json: string }[]>(
          'SELECT "installation"::text AS json FROM "SlackInstallation" WHERE "teamId" = $1',
          team,
        );
      assert.equal(rows.length, 1);
      return rows[0]?.json ?? '';
    };

    it('round-trips an installation while the row holds no token in plain text', async () => {
      const team = newTeamId();
      const secret = randomBytes(12).toString('hex');
      const repo = ctx.repos().slackInstallations.withSecretBox(newBox());
      await repo.storeInstallation(installation(team, secret));
      const back = await repo.fetchInstallation({ teamId: team, isEnterpriseInstall: false });
      assert.deepEqual(back, JSON.parse(JSON.stringify(installation(team, secret))));
      const raw = await rawRow(team);
      assert.ok(!raw.includes(secret), raw);
      const stored = JSON.parse(raw) as { bot: { token: string; id: string }; team: { id: string } };
      assert.match(stored.bot.token, /^v1:/);
      assert.equal(stored.bot.id, 'B1', 'only the secrets are encrypted');
      assert.equal(stored.team.id, team);
      await repo.deleteInstallation({ teamId: team, isEnterpriseInstall: false });
    });

    it('fails clearly with another key, and on a tampered token', async () => {
      const team = newTeamId();
      const repo = ctx.repos().slackInstallations.withSecretBox(newBox());
      await repo.storeInstallation(installation(team, 'k'));
      await assert.rejects(
        ctx
          .repos()
          .slackInstallations.withSecretBox(newBox())
          .fetchInstallation({ teamId: team, isEnterpriseInstall: false }),
        (e: Error) =>
          e instanceof SecretBoxError &&
          e.message.startsWith(
            `the Slack installation of workspace ${team}: slack-installation.bot.token does not decrypt`,
          ),
      );
      const stored = JSON.parse(await rawRow(team)) as { bot: { token: string } };
      const [v, iv, tag, data] = stored.bot.token.split(':') as [string, string, string, string];
      const altered = Buffer.from(data, 'base64');
      altered[0] = (altered[0] ?? 0) ^ 0xff;
      stored.bot.token = [v, iv, tag, altered.toString('base64')].join(':');
      await ctx
        .db()
        .prisma.slackInstallation.updateMany({ where: { teamId: team }, data: { installation: stored } });
      await assert.rejects(
        repo.fetchInstallation({ teamId: team, isEnterpriseInstall: false }),
        SecretBoxError,
      );
      await repo.deleteInstallation({ teamId: team, isEnterpriseInstall: false });
    });

    it('encrypts a row stored in plain text before encryption, saying so', async () => {
      const team = newTeamId();
      const other = newTeamId();
      await ctx.db().prisma.slackInstallation.createMany({
        data: [
          { teamId: team, installation: JSON.parse(JSON.stringify(installation(team, 'legacy1'))) },
          { teamId: other, installation: JSON.parse(JSON.stringify(installation(other, 'legacy2'))) },
        ],
      });
      const logs: string[] = [];
      const repo = ctx.repos().slackInstallations.withSecretBox(newBox(), (m) => logs.push(m));
      const back = await repo.fetchInstallation({ teamId: team, isEnterpriseInstall: false });
      assert.equal(back.bot?.token, 'xoxb-legacy1');
      assert.ok(!(await rawRow(team)).includes('legacy1'));
      assert.match(
        logs.join('\n'),
        new RegExp(
          `installation of workspace ${team} kept bot.token, bot.refreshToken, user.token, incomingWebhook.url in plain text; encrypted now`,
        ),
      );
      const sweep = await repo.sealPlainInstallations();
      assert.ok(sweep.sealed >= 1);
      assert.ok(!(await rawRow(other)).includes('legacy2'));
      assert.equal(
        (await repo.fetchInstallation({ teamId: other, isEnterpriseInstall: false })).bot?.token,
        'xoxb-legacy2',
      );
      assert.ok(!logs.join('\n').includes('legacy'), 'no token in the log');
      for (const t of [team, other]) await repo.deleteInstallation({ teamId: t, isEnterpriseInstall: false });
    });

    it('needs the key to store or read tokens; deleting needs none', async () => {
      const team = newTeamId();
      await assert.rejects(
        ctx.repos().slackInstallations.storeInstallation(installation(team, 'x')),
        /FACEOFF_SLACK_TOKEN_KEY/,
      );
      await ctx.repos().slackInstallations.withSecretBox(newBox()).storeInstallation(installation(team, 'x'));
      await assert.rejects(
        ctx.repos().slackInstallations.fetchInstallation({ teamId: team, isEnterpriseInstall: false }),
        /FACEOFF_SLACK_TOKEN_KEY/,
      );
      await ctx.repos().slackInstallations.deleteInstallation({ teamId: team, isEnterpriseInstall: false });
      await assert.rejects(
        ctx
          .repos()
          .slackInstallations.withSecretBox(newBox())
          .fetchInstallation({ teamId: team, isEnterpriseInstall: false }),
        SlackInstallationNotFound,
      );
    });
  });
}
