/** Tests for the team-scoped repositories, run unchanged against each database backend. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { startHousekeeping } from '../../src/persistence/housekeeping.js';
import type { Database, Repositories } from '../../src/persistence/index.js';
import { sleep } from './backends.js';

export interface SuiteContext {
  db(): Database;
  repos(): Repositories;
}

export const newTeamKey = () => `slack:T${randomBytes(4).toString('hex').toUpperCase()}`;
const minutes = (n: number, from = Date.now()) => new Date(from + n * 60_000);

/** Prisma's code for a unique constraint violation. */
export async function rejectsAsDuplicate(p: Promise<unknown>): Promise<void> {
  await assert.rejects(p, (e: { code?: string }) => e.code === 'P2002');
}

export function repositorySuite(ctx: SuiteContext): void {
  describe('TeamRepository', () => {
    it('creates a team once, keeps it, and updates the name only when one is given', async () => {
      const key = newTeamKey();
      const created = await ctx.repos().teams.ensure(key, { platform: 'slack', externalId: key.slice(6) });
      assert.equal(created.id, key);
      assert.equal(created.name, null);
      assert.ok(created.createdAt instanceof Date);
      const named = await ctx
        .repos()
        .teams.ensure(key, { platform: 'slack', externalId: key.slice(6), name: 'ML' });
      assert.equal(named.name, 'ML');
      assert.equal(named.createdAt.getTime(), created.createdAt.getTime());
      const again = await ctx.repos().teams.ensure(key, { platform: 'slack', externalId: key.slice(6) });
      assert.equal(again.name, 'ML');
      assert.equal(await ctx.db().prisma.team.count({ where: { id: key } }), 1);
      assert.deepEqual(await ctx.repos().teams.get(key), again);
    });

    it('rejects a malformed team key', async () => {
      await assert.rejects(
        ctx.repos().teams.ensure('nocolon', { platform: 'x', externalId: 'y' }),
        /team key/,
      );
    });

    it('is created implicitly, from the key, by the first row a team writes', async () => {
      const key = 'discord:G123';
      await ctx.repos().subscriptions.subscribe(key, `${key}:C1:`, 'U1');
      const team = await ctx.repos().teams.get(key);
      assert.equal(team?.platform, 'discord');
      assert.equal(team?.externalId, 'G123');
    });
  });

  describe('QuestionnaireSessionRepository', () => {
    const state = {
      version: 1,
      index: 3,
      answers: { task: 'qa', 'é✓': [1, 2.5, null, true] },
      nested: { a: { b: [] } },
    };

    it('saves, loads (JSON intact) and updates a session in place', async () => {
      const team = newTeamKey();
      const conv = `${team}:C1:171.5`;
      const now = new Date();
      await ctx.repos().sessions.save(team, conv, 'U1', state, minutes(30, now.getTime()));
      const loaded = await ctx.repos().sessions.load(team, conv, 'U1', now);
      assert.deepEqual(loaded?.state, state);
      assert.ok(loaded?.updatedAt instanceof Date);
      await ctx.repos().sessions.save(team, conv, 'U1', { ...state, index: 4 }, minutes(60, now.getTime()));
      const updated = await ctx.repos().sessions.load<typeof state>(team, conv, 'U1', now);
      assert.equal(updated?.state.index, 4);
      assert.equal(updated?.expiresAt.getTime(), minutes(60, now.getTime()).getTime());
      assert.equal(await ctx.db().prisma.questionnaireSession.count({ where: { teamId: team } }), 1);
    });

    it('keeps sessions apart per team, conversation and user', async () => {
      const team = newTeamKey();
      const other = newTeamKey();
      const now = new Date();
      await ctx.repos().sessions.save(team, `${team}:C1:`, 'U1', { who: 'a' }, minutes(5));
      await ctx.repos().sessions.save(team, `${team}:C1:`, 'U2', { who: 'b' }, minutes(5));
      await ctx.repos().sessions.save(team, `${team}:C2:`, 'U1', { who: 'c' }, minutes(5));
      await ctx.repos().sessions.save(other, `${other}:C1:`, 'U1', { who: 'd' }, minutes(5));
      assert.deepEqual((await ctx.repos().sessions.load(team, `${team}:C1:`, 'U2', now))?.state, {
        who: 'b',
      });
      assert.deepEqual((await ctx.repos().sessions.load(team, `${team}:C2:`, 'U1', now))?.state, {
        who: 'c',
      });
      assert.deepEqual((await ctx.repos().sessions.load(other, `${other}:C1:`, 'U1', now))?.state, {
        who: 'd',
      });
      assert.equal(await ctx.repos().sessions.load(team, `${team}:C3:`, 'U1', now), null);
    });

    it('returns null for an expired session and deletes it', async () => {
      const team = newTeamKey();
      const conv = `${team}:C1:`;
      const expiresAt = minutes(10);
      await ctx.repos().sessions.save(team, conv, 'U1', state, expiresAt);
      assert.ok(await ctx.repos().sessions.load(team, conv, 'U1', new Date(expiresAt.getTime() - 1)));
      assert.equal(await ctx.repos().sessions.load(team, conv, 'U1', expiresAt), null);
      assert.equal(await ctx.db().prisma.questionnaireSession.count({ where: { teamId: team } }), 0);
    });

    it('deletes a session, reporting whether there was one', async () => {
      const team = newTeamKey();
      await ctx.repos().sessions.save(team, `${team}:C1:`, 'U1', state, minutes(5));
      assert.equal(await ctx.repos().sessions.delete(team, `${team}:C1:`, 'U1'), true);
      assert.equal(await ctx.repos().sessions.delete(team, `${team}:C1:`, 'U1'), false);
      assert.equal(await ctx.repos().sessions.load(team, `${team}:C1:`, 'U1', new Date()), null);
    });

    it('purges exactly the expired sessions', async () => {
      const team = newTeamKey();
      const now = Date.now() + 365 * 24 * 3600_000; // later than anything other tests left behind
      await ctx.repos().sessions.save(team, `${team}:C1:`, 'old', {}, minutes(-1, now));
      await ctx.repos().sessions.save(team, `${team}:C1:`, 'edge', {}, new Date(now));
      await ctx.repos().sessions.save(team, `${team}:C1:`, 'live', {}, minutes(1, now));
      const purged = await ctx.repos().sessions.purgeExpired(new Date(now));
      assert.ok(purged >= 2);
      const left = await ctx.db().prisma.questionnaireSession.findMany({ where: { teamId: team } });
      assert.deepEqual(
        left.map((r) => r.userId),
        ['live'],
      );
    });

    it('survives concurrent first saves of one session', async () => {
      const team = newTeamKey();
      const conv = `${team}:C1:`;
      await Promise.all(
        Array.from({ length: 8 }, (_, i) => ctx.repos().sessions.save(team, conv, 'U1', { i }, minutes(5))),
      );
      assert.equal(await ctx.db().prisma.questionnaireSession.count({ where: { teamId: team } }), 1);
    });

    it('refuses a conversation key of another team and values JSON cannot hold', async () => {
      const team = newTeamKey();
      await assert.rejects(
        ctx.repos().sessions.save(team, 'slack:OTHER:C1:', 'U1', {}, minutes(5)),
        /does not belong/,
      );
      await assert.rejects(
        ctx.repos().sessions.save(team, `${team}:C1:`, 'U1', undefined, minutes(5)),
        /JSON/,
      );
    });
  });

  describe('DecisionRepository', () => {
    it('records decisions and lists a team’s newest first', async () => {
      const team = newTeamKey();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push(
          await ctx.repos().decisions.record({
            teamKey: team,
            conversationKey: `${team}:C1:${i}`,
            userId: 'U1',
            answers: { i, budget: 'low' },
            result: { scores: [0.5, i], drivers: ['memory'] },
            recommendation: i % 2 ? 'full' : 'lora',
          }),
        );
        await sleep(5);
      }
      const other = newTeamKey();
      await ctx.repos().decisions.record({
        teamKey: other,
        conversationKey: `${other}:C1:`,
        userId: 'U9',
        answers: {},
        result: {},
        recommendation: 'full',
      });
      const recent = await ctx.repos().decisions.listRecent(team, 2);
      assert.deepEqual(
        recent.map((d) => d.id),
        [ids[2], ids[1]],
      );
      assert.deepEqual(recent[0]?.answers, { i: 2, budget: 'low' });
      assert.deepEqual(recent[0]?.result, { scores: [0.5, 2], drivers: ['memory'] });
      assert.equal(recent[0]?.recommendation, 'lora');
      assert.equal((await ctx.repos().decisions.listRecent(team, 10)).length, 3);
      assert.equal((await ctx.repos().decisions.listRecent(newTeamKey(), 10)).length, 0);
    });
  });

  describe('SubscriptionRepository', () => {
    it('subscribes once, lists, and unsubscribes', async () => {
      const team = newTeamKey();
      const other = newTeamKey();
      assert.equal(await ctx.repos().subscriptions.subscribe(team, `${team}:C1:`, 'U1'), 'created');
      assert.equal(await ctx.repos().subscriptions.subscribe(team, `${team}:C1:`, 'U2'), 'exists');
      await sleep(5);
      assert.equal(await ctx.repos().subscriptions.subscribe(team, `${team}:C2:`, 'U1'), 'created');
      assert.equal(await ctx.repos().subscriptions.subscribe(other, `${other}:C9:`, 'U1'), 'created');
      assert.deepEqual(await ctx.repos().subscriptions.list(team), [`${team}:C1:`, `${team}:C2:`]);
      assert.equal(await ctx.repos().subscriptions.unsubscribe(team, `${team}:C1:`), true);
      assert.equal(await ctx.repos().subscriptions.unsubscribe(team, `${team}:C1:`), false);
      assert.equal(await ctx.repos().subscriptions.unsubscribe(team, `${other}:C9:`), false);
      assert.deepEqual(await ctx.repos().subscriptions.list(team), [`${team}:C2:`]);
      assert.deepEqual(await ctx.repos().subscriptions.list(other), [`${other}:C9:`]);
    });

    it('creates one subscription when the same channel subscribes concurrently', async () => {
      const team = newTeamKey();
      const results = await Promise.all(
        Array.from({ length: 6 }, () => ctx.repos().subscriptions.subscribe(team, `${team}:C1:`, 'U1')),
      );
      assert.equal(results.filter((r) => r === 'created').length, 1);
    });
  });

  describe('DatasetRepository', () => {
    it('registers datasets under short typable ids, scoped to the team', async () => {
      const team = newTeamKey();
      const input = {
        teamKey: team,
        name: 'support-qa',
        path: 'data/qa.jsonl',
        sha256: 'ab'.repeat(32),
        lineCount: 1200,
        createdBy: 'U1',
      };
      const first = await ctx.repos().datasets.register(input);
      assert.match(first.id, /^ds-[2-9a-hjkmnp-z]{6}$/);
      assert.equal(first.lineCount, 1200);
      await sleep(5);
      const second = await ctx.repos().datasets.register({ ...input, name: 'v2' });
      assert.notEqual(second.id, first.id);
      assert.deepEqual(await ctx.repos().datasets.get(team, first.id), first);
      assert.deepEqual(await ctx.repos().datasets.get(team, ` ${first.id.toUpperCase()} `), first);
      assert.equal(await ctx.repos().datasets.get(newTeamKey(), first.id), null);
      assert.deepEqual(
        (await ctx.repos().datasets.list(team)).map((d) => d.name),
        ['v2', 'support-qa'],
      );
    });
  });

  describe('DeliveryRepository', () => {
    it('says true only the first time a key is seen, even when seen concurrently', async () => {
      const key = `slack:Ev${randomBytes(6).toString('hex')}`;
      assert.equal(await ctx.repos().deliveries.firstTime(key), true);
      assert.equal(await ctx.repos().deliveries.firstTime(key), false);
      const racing = `discord:${randomBytes(6).toString('hex')}`;
      const seen = await Promise.all(
        Array.from({ length: 8 }, () => ctx.repos().deliveries.firstTime(racing)),
      );
      assert.equal(seen.filter(Boolean).length, 1);
    });

    it('forgets keys older than a date', async () => {
      const key = `slack:old-${randomBytes(6).toString('hex')}`;
      await ctx.repos().deliveries.firstTime(key);
      assert.ok((await ctx.repos().deliveries.purgeOlderThan(new Date(Date.now() + 60_000))) >= 1);
      assert.equal(await ctx.repos().deliveries.firstTime(key), true);
      assert.equal(await ctx.repos().deliveries.purgeOlderThan(new Date(Date.now() - 60_000)), 0);
    });
  });

  describe('PostedMessageRepository', () => {
    it('remembers the message of each key per conversation, and a newer post replaces it', async () => {
      const conversation = `${newTeamKey()}:C1:1.5`;
      const other = `${newTeamKey()}:C1:1.5`;
      const messages = ctx.repos().postedMessages;
      assert.equal(await messages.get(conversation, 'progress:j1'), undefined);
      const retired = {
        text: 'Question 1',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x' } }],
      };
      await messages.remember(conversation, 'decide-question', {
        channel: 'C1',
        messageId: '1.6',
        live: true,
        retired,
      });
      await messages.remember(conversation, 'progress:j1', { channel: 'C1', messageId: '1.7', live: false });
      await messages.remember(other, 'progress:j1', { channel: 'C1', messageId: '9.9', live: false });
      assert.deepEqual(await messages.get(conversation, 'decide-question'), {
        channel: 'C1',
        messageId: '1.6',
        live: true,
        retired,
      });
      assert.deepEqual(await messages.get(conversation, 'progress:j1'), {
        channel: 'C1',
        messageId: '1.7',
        live: false,
      });
      await messages.remember(conversation, 'decide-question', {
        channel: 'C1',
        messageId: '1.8',
        live: false,
      });
      assert.deepEqual(await messages.get(conversation, 'decide-question'), {
        channel: 'C1',
        messageId: '1.8',
        live: false,
      });
      assert.equal((await messages.get(other, 'progress:j1'))?.messageId, '9.9');
    });

    it('keeps one row when several processes remember a key at once', async () => {
      const conversation = `${newTeamKey()}:C1:`;
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          ctx.repos().postedMessages.remember(conversation, 'progress:j', {
            channel: 'C1',
            messageId: `1.${i}`,
            live: false,
          }),
        ),
      );
      const rows = await ctx.db().prisma.postedMessage.findMany({ where: { conversationKey: conversation } });
      assert.equal(rows.length, 1);
    });
  });

  describe('housekeeping', () => {
    it('purges old delivery ids and expired questionnaires at start, and keeps the rest', async () => {
      const team = newTeamKey();
      const later = Date.now() + 400 * 24 * 3600_000; // past everything other tests left behind
      const key = `discord:hk-${randomBytes(6).toString('hex')}`;
      await ctx.repos().deliveries.firstTime(key);
      await ctx.repos().sessions.save(team, `${team}:C1:`, 'expired', {}, minutes(-1, later));
      await ctx.repos().sessions.save(team, `${team}:C1:`, 'live', {}, minutes(60, later));
      const noticeKey = `hk-notice-${randomBytes(6).toString('hex')}`;
      await ctx.repos().outbox.enqueue([
        {
          key: noticeKey,
          conversationKey: `${team}:C1:`,
          kind: 'stage',
          payload: { reply: { text: 'x' } },
        },
      ]);
      await ctx.repos().outbox.markSent(noticeKey, 0, new Date());
      const conversation = `${team}:C1:`;
      await ctx.repos().postedMessages.remember(conversation, 'progress:old', {
        channel: 'C1',
        messageId: '1.1',
        live: false,
      });
      await ctx
        .repos()
        .postedMessages.remember(
          conversation,
          'progress:running',
          { channel: 'C1', messageId: '1.2', live: false },
          new Date(later),
        );
      const logs: string[] = [];
      const housekeeping = startHousekeeping({
        deliveries: ctx.repos().deliveries,
        sessions: ctx.repos().sessions,
        outbox: ctx.repos().outbox,
        postedMessages: ctx.repos().postedMessages,
        now: () => new Date(later),
        intervalMs: 3_600_000,
        log: (m) => logs.push(m),
      });
      try {
        for (let i = 0; i < 100 && !logs.length; i += 1) await sleep(50);
        assert.match(
          logs[0] ?? '',
          /^housekeeping: purged [1-9]\d* processed delivery id\(s\), [1-9]\d* expired questionnaire\(s\), [1-9]\d* posted notice\(s\) and [1-9]\d* unused message key\(s\)$/,
        );
        const left = await ctx.db().prisma.questionnaireSession.findMany({ where: { teamId: team } });
        assert.deepEqual(
          left.map((r) => r.userId),
          ['live'],
        );
        assert.deepEqual(
          await housekeeping.runOnce(),
          { deliveries: 0, sessions: 0, notices: 0, messageKeys: 0 },
          'nothing left to purge',
        );
        assert.equal(await ctx.repos().postedMessages.get(conversation, 'progress:old'), undefined);
        assert.equal(
          (await ctx.repos().postedMessages.get(conversation, 'progress:running'))?.messageId,
          '1.2',
          'a key used recently is kept',
        );
        assert.equal(await ctx.repos().deliveries.firstTime(key), true, 'the old delivery id was forgotten');
        assert.equal(await ctx.repos().outbox.get(noticeKey), null, 'the posted notice was forgotten');
      } finally {
        housekeeping.stop();
      }
    });

    it('logs a failing purge and carries on with the other', async () => {
      const logs: string[] = [];
      const housekeeping = startHousekeeping({
        deliveries: {
          purgeOlderThan: async () => {
            throw new Error('connection refused');
          },
        },
        sessions: ctx.repos().sessions,
        now: () => new Date(0),
        intervalMs: 3_600_000,
        log: (m) => logs.push(m),
      });
      housekeeping.stop();
      assert.deepEqual(await housekeeping.runOnce(), {
        deliveries: 0,
        sessions: 0,
        notices: 0,
        messageKeys: 0,
      });
      assert.ok(
        logs.includes(
          'housekeeping: could not purge processed delivery ids (connection refused); trying again next time',
        ),
      );
    });
  });

  describe('unique constraints in the database', () => {
    it('reject a second session row, subscription or delivery with the same key', async () => {
      const team = newTeamKey();
      const { prisma } = ctx.db();
      await ctx.repos().teams.ensure(team, { platform: 'slack', externalId: 'x' });
      const session = {
        teamId: team,
        conversationKey: `${team}:C:`,
        userId: 'U',
        state: {},
        expiresAt: minutes(5),
      };
      await prisma.questionnaireSession.create({ data: session });
      await rejectsAsDuplicate(prisma.questionnaireSession.create({ data: session }));
      const sub = { teamId: team, channelKey: `${team}:C:`, createdBy: 'U' };
      await prisma.channelSubscription.create({ data: sub });
      await rejectsAsDuplicate(prisma.channelSubscription.create({ data: sub }));
      await prisma.processedDelivery.create({ data: { key: `${team}-d` } });
      await rejectsAsDuplicate(prisma.processedDelivery.create({ data: { key: `${team}-d` } }));
    });
  });
}
