import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { BOT_SCOPES } from '../../../bots/slack/config';
import { conversationKey } from '../../../src/chat/conversation';
import { SecretBox, SlackInstallationNotFound } from '../../../src/persistence/index';
import { waitFor } from '../../support/harness';
import { appUninstalled, tokensRevoked } from './support/slack-requests';
import { type SlackStack, startSlackStack } from './support/slack-stack';
import { channelPosts, threadPosts } from './support/thread-view';

const INSTALLED_TEAM = 'TNEWTEAM1';
const TOKEN_KEY = Uint8Array.from(randomBytes(32));

describe('Slack installations: the database store and the OAuth flow for several workspaces', () => {
  let s: SlackStack;
  before(async () => {
    s = await startSlackStack({
      config: {
        auth: {
          kind: 'oauth',
          clientId: '1234.5678',
          clientSecret: 'client-secret-abc',
          stateSecret: 'state-secret-xyz',
          scopes: BOT_SCOPES,
          tokenKey: TOKEN_KEY,
        },
      },
    });
  });
  after(async () => {
    await s?.close();
  });

  const bot = (token: string) => ({ token, id: 'B1', userId: 'UFACEOFF1', scopes: ['commands'] });
  /** The installations as the adapter reads them: with the configured key. */
  const sealed = () => s.repositories.slackInstallations.withSecretBox(new SecretBox(TOKEN_KEY));
  const rawInstallations = async (team: string) =>
    (
      await s.db.prisma.$queryRawUnsafe<{ json: string }[]>(
        'SELECT "installation"::text AS json FROM "SlackInstallation" WHERE "teamId" = $1',
        team,
      )
    ).map((r) => r.json);

  /** The OAuth flow a workspace admin goes through; the stand-in answers for team `code.toUpperCase()`. */
  const install = async (team: string) => {
    const base = `http://127.0.0.1:${s.adapter.port}`;
    const start = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const callback = await fetch(
      `${base}/slack/oauth_redirect?code=${team.toLowerCase()}&state=${encodeURIComponent(state)}`,
      { headers: { cookie } },
    );
    assert.equal(callback.status, 200);
    await callback.text();
  };
  const answered = async (team: string, channel: string) => {
    const before = s.fake.callsTo('chat.postMessage').length;
    await s.command('tasks', { team_id: team, channel_id: channel });
    await s.settle();
    return s.fake.callsTo('chat.postMessage').length > before;
  };

  it('stores one installation per workspace, replaces it on reinstall, and keeps org-wide installs apart', async () => {
    const store = sealed();
    await store.storeInstallation({
      team: { id: 'T0STORE01' },
      enterprise: undefined,
      isEnterpriseInstall: false,
      bot: bot('xoxb-one'),
    });
    await store.storeInstallation({
      team: { id: 'T0STORE01' },
      enterprise: undefined,
      isEnterpriseInstall: false,
      bot: bot('xoxb-two'),
    });
    await store.storeInstallation({
      team: undefined,
      enterprise: { id: 'E0ORG0001' },
      isEnterpriseInstall: true,
      bot: bot('xoxb-org'),
    });
    const workspace = await store.fetchInstallation({ teamId: 'T0STORE01', isEnterpriseInstall: false });
    assert.equal(workspace.bot?.token, 'xoxb-two');
    const org = await store.fetchInstallation({ enterpriseId: 'E0ORG0001', isEnterpriseInstall: true });
    assert.equal(org.bot?.token, 'xoxb-org');
    assert.equal(await store.count(), 2);
    await store.deleteInstallation({ teamId: 'T0STORE01', isEnterpriseInstall: false });
    await assert.rejects(
      store.fetchInstallation({ teamId: 'T0STORE01', isEnterpriseInstall: false }),
      SlackInstallationNotFound,
    );
    await store.deleteInstallation({ enterpriseId: 'E0ORG0001', isEnterpriseInstall: true });
    assert.equal(await store.count(), 0);
  });

  it('installs through /slack/install and /slack/oauth_redirect, then serves that workspace with its own token', async () => {
    const base = `http://127.0.0.1:${s.adapter.port}`;
    const install = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    assert.equal(install.status, 302);
    const location = new URL(install.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('client_id'), '1234.5678');
    assert.equal(location.searchParams.get('scope'), BOT_SCOPES.join(','));
    const state = location.searchParams.get('state') ?? '';
    const cookie = (install.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const code = INSTALLED_TEAM.toLowerCase();
    const callback = await fetch(
      `${base}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`,
      { headers: { cookie } },
    );
    assert.equal(callback.status, 200);
    assert.equal(s.fake.callsTo('oauth.v2.access').length, 1);
    const stored = await sealed().fetchInstallation({
      teamId: INSTALLED_TEAM,
      isEnterpriseInstall: false,
    });
    assert.equal(stored.bot?.token, `xoxb-installed-${code}`);
    const raw = await rawInstallations(INSTALLED_TEAM);
    assert.equal(raw.length, 1);
    assert.ok(!raw[0]?.includes('xoxb-'), `the stored row holds no token in plain text: ${raw[0]}`);
    assert.match(raw[0] ?? '', /"token": ?"v1:/);

    await s.command('tasks', { team_id: INSTALLED_TEAM, channel_id: 'C0NEWTEAM1' });
    await s.settle();
    const posted = s.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0NEWTEAM1');
    assert.equal(posted.length, 1);
    assert.equal(posted[0]?.token, `xoxb-installed-${code}`);

    await s.command(
      'compare task=customer_service model=tiny seeds=1 max_steps=4 lr_sweep=off methods=lora',
      {
        team_id: INSTALLED_TEAM,
        channel_id: 'C0NEWTEAM1',
      },
    );
    await s.settle();
    const root = channelPosts(s.fake, 'C0NEWTEAM1').at(-1);
    assert.ok(root);
    await s.jobs.idle();
    const finished = await waitFor(
      'the completion notice',
      async () => {
        const call = s.fake
          .callsTo('chat.postMessage')
          .find((c) => c.args.thread_ts === root.ts && String(c.args.text).includes('finished'));
        return call;
      },
      30_000,
    );
    assert.equal(finished.token, `xoxb-installed-${code}`, 'job notices use the workspace\u2019s own token');
    assert.ok(threadPosts(s.fake, root.ts).length >= 2);
    const jobs = await s.repositories.jobs.listRecent(`slack:${INSTALLED_TEAM}`, 10);
    assert.equal(jobs.length, 1, 'the job is scoped to the installed workspace');
  });

  it('app_uninstalled deletes the installation: no command is answered and no notice is posted with its token', async () => {
    const team = 'TUNINSTAL1';
    await install(team);
    assert.equal(await answered(team, 'C0UNINST01'), true);
    const notice = conversationKey({ platform: 'slack', workspace: team, channel: 'C0UNINST01' });
    await s.notifier.post(notice, { text: 'before the uninstall' });
    assert.equal(s.fake.callsTo('chat.postMessage').at(-1)?.token, `xoxb-installed-${team.toLowerCase()}`);

    const delivered = await s.event(appUninstalled(team));
    assert.equal(delivered.status, 200);
    await s.settle();
    assert.deepEqual(await rawInstallations(team), [], 'the row is gone');
    await assert.rejects(
      sealed().fetchInstallation({ teamId: team, isEnterpriseInstall: false }),
      SlackInstallationNotFound,
    );
    assert.equal(await answered(team, 'C0UNINST01'), false, 'the bot finds no token for the workspace');
    await assert.rejects(s.notifier.post(notice, { text: 'after the uninstall' }), SlackInstallationNotFound);
    assert.match(
      s.logs.join('\n'),
      new RegExp(`uninstalled from workspace ${team}; its installation is deleted`),
    );
    assert.equal(await answered(INSTALLED_TEAM, 'C0NEWTEAM1'), true, 'other workspaces keep theirs');
  });

  it('tokens_revoked deletes the installation once the bot token is revoked, not for user tokens alone', async () => {
    const team = 'TREVOKED1';
    await install(team);
    await s.event(tokensRevoked(team, { oauth: ['UINSTALLER'] }));
    await s.settle();
    assert.equal((await rawInstallations(team)).length, 1, 'a revoked user token leaves the bot installed');
    assert.equal(await answered(team, 'C0REVOKE01'), true);
    await s.event(tokensRevoked(team, { bot: ['UFACEOFF1'] }));
    await s.settle();
    assert.deepEqual(await rawInstallations(team), []);
    assert.equal(await answered(team, 'C0REVOKE01'), false);
    assert.match(
      s.logs.join('\n'),
      new RegExp(`bot token of workspace ${team} was revoked; its installation is deleted`),
    );
  });

  it('does not serve a workspace that never installed the app', async () => {
    const before = s.fake.callsTo('chat.postMessage').length;
    await s.command('tasks', { team_id: 'T0UNKNOWN1' });
    await s.settle();
    assert.equal(s.fake.callsTo('chat.postMessage').length, before);
    assert.equal(s.fake.responses.length, 0, 'not even an ephemeral answer');
    assert.match(s.logs.join('\n'), /T0UNKNOWN1|authoriz/i);
  });
});
