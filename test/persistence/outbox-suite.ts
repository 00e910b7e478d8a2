/** The outbox's notices and the transactions that write them with a state change, on each backend. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { NoticeInput } from '../../src/persistence/index.js';
import { newTeamKey, type SuiteContext } from './repository-suite.js';

const text = (key: string, conversationKey: string, jobId?: string): NoticeInput => ({
  key,
  conversationKey,
  ...(jobId ? { jobId } : {}),
  kind: 'stage',
  payload: { reply: { text: key } },
});

export function outboxSuite(ctx: SuiteContext): void {
  describe('OutboxRepository', () => {
    const unique = () => `t-${randomBytes(6).toString('hex')}`;
    // Far in the future: notices other tests left pending are due too, so claim only what is ours.
    const mine = (keys: string[]) => (n: { key: string }) => keys.includes(n.key);
    const oneRunJob = () => {
      const team = newTeamKey();
      return ctx.repos().jobs.create({
        teamKey: team,
        conversationKey: `${team}:C1:`,
        requesterId: 'U1',
        request: {},
        plan: {},
        runs: [{ task: 'customer_service', method: 'lora', seed: 0, learningRate: 1e-3 }],
      });
    };

    it('keeps one notice per key, leases a claim, and claims it again once the lease runs out', async () => {
      const outbox = ctx.repos().outbox;
      const key = unique();
      assert.equal(await outbox.enqueue([text(key, 'slack:T1:C1:')]), 1);
      assert.equal(await outbox.enqueue([text(key, 'slack:T1:C1:')]), 0, 'the same key again is skipped');
      const now = new Date(Date.now() + 1000);
      const first = (await outbox.claimDue(now, 10_000, 60_000)).filter(mine([key]));
      assert.equal(first.length, 1);
      assert.equal((await outbox.claimDue(now, 10_000, 60_000)).filter(mine([key])).length, 0, 'leased');
      const later = new Date(now.getTime() + 61_000);
      assert.equal((await outbox.claimDue(later, 10_000, 60_000)).filter(mine([key])).length, 1);
      await outbox.markSent(key, 0, later);
      assert.equal((await outbox.get(key))?.state, 'sent');
      const muchLater = new Date(later.getTime() + 3_600_000);
      assert.equal((await outbox.claimDue(muchLater, 10_000, 60_000)).filter(mine([key])).length, 0);
    });

    it('a failure waits until its retry time; a replaced notice is not marked sent by the older post', async () => {
      const outbox = ctx.repos().outbox;
      const key = unique();
      await outbox.enqueue([text(key, 'slack:T1:C1:')]);
      const now = new Date(Date.now() + 1000);
      await outbox.claimDue(now, 10_000, 60_000);
      await outbox.markFailed(key, 0, 'HTTP 500', new Date(now.getTime() + 30_000));
      const failed = await outbox.get(key);
      assert.equal(failed?.attempts, 1);
      assert.equal(failed?.lastError, 'HTTP 500');
      assert.equal((await outbox.claimDue(now, 10_000, 60_000)).filter(mine([key])).length, 0, 'not due');
      const due = new Date(now.getTime() + 31_000);
      const [claimed] = (await outbox.claimDue(due, 10_000, 60_000)).filter(mine([key]));
      assert.equal(claimed?.version, 0);
      await outbox.replace(
        { ...text(key, 'slack:T1:C1:'), kind: 'progress', payload: { reply: { text: 'newer' } } },
        due,
      );
      await outbox.markSent(key, 0, due);
      const after = await outbox.get(key);
      assert.equal(after?.state, 'pending', 'the newer version still waits');
      assert.equal(after?.version, 1);
      assert.deepEqual(after?.payload, { reply: { text: 'newer' } });
      assert.equal(after?.attempts, 0);
    });

    it('a replaced notice still pending keeps its place; one already sent goes after everything before it', async () => {
      const outbox = ctx.repos().outbox;
      const key = unique();
      const at = (ms: number) => new Date(Date.now() + ms);
      const progress = (t: string) => ({
        ...text(key, 'slack:T9:C9:'),
        kind: 'progress' as const,
        payload: { reply: { text: t } },
      });
      await outbox.replace(progress('step 1'), at(0));
      const first = await outbox.get(key);
      await outbox.replace(progress('step 2'), at(5_000));
      const pending = await outbox.get(key);
      assert.equal(pending?.createdAt.getTime(), first?.createdAt.getTime(), 'kept its place');
      assert.deepEqual(pending?.payload, { reply: { text: 'step 2' } });
      assert.equal(pending?.version, (first?.version ?? 0) + 1);
      await outbox.markSent(key, pending?.version ?? -1, at(6_000));
      await outbox.replace(progress('step 3'), at(10_000));
      const again = await outbox.get(key);
      assert.equal(again?.state, 'pending');
      assert.ok(
        (again?.createdAt.getTime() ?? 0) > (first?.createdAt.getTime() ?? 0) + 9_000,
        'written anew',
      );
    });

    it('writes a notice with the state change in one transaction, and none when the change does not apply', async () => {
      const { jobs, outbox } = ctx.repos();
      const job = await oneRunJob();
      const announce = text(`announce:${job.id}`, job.conversationKey, job.id);
      const ended = await jobs.setState(
        job.id,
        'completed',
        { finishedAt: new Date(), from: ['queued', 'running'], announced: true },
        [announce],
      );
      assert.ok(ended?.announcedAt, 'announced with the state change');
      assert.equal((await outbox.forJob(job.id)).length, 1);
      const again = await jobs.setState(job.id, 'failed', { from: ['queued', 'running'] }, [
        text(`other:${job.id}`, job.conversationKey, job.id),
      ]);
      assert.equal(again, null);
      assert.deepEqual(
        (await outbox.forJob(job.id)).map((n) => n.key),
        [announce.key],
        'no notice without its state change',
      );
      assert.equal(
        await jobs.markAnnounced(job.id, [text(`late:${job.id}`, job.conversationKey, job.id)]),
        false,
      );
      assert.equal((await outbox.forJob(job.id)).length, 1, 'the claim was taken: no second announcement');

      // A notice that cannot be written takes its state change with it.
      const run = job.runs[0];
      assert.ok(run);
      const broken = {
        ...text(`retry:${run.id}`, job.conversationKey, job.id),
        payload: { reply: { text: 'x', n: 10n } },
      } as unknown as NoticeInput;
      await assert.rejects(jobs.updateRun(run.id, { state: 'failed' }, { notices: [broken] }));
      assert.equal((await jobs.getById(job.id))?.runs[0]?.state, 'queued', 'rolled back');
      const retry = text(`retry:${run.id}:1`, job.conversationKey, job.id);
      assert.ok(await jobs.updateRun(run.id, { state: 'running' }, { notices: [retry] }));
      assert.ok(await outbox.get(retry.key));
    });

    it("writes a line to each channel subscribed to the job's team with its end, but the job's own channel", async () => {
      const { jobs, outbox, subscriptions } = ctx.repos();
      const job = await oneRunJob();
      const other = await oneRunJob();
      for (const channel of [`${job.teamId}:C1:`, `${job.teamId}:C2:`, `${job.teamId}:C3:`])
        await subscriptions.subscribe(job.teamId, channel, 'U1');
      await subscriptions.subscribe(other.teamId, `${other.teamId}:C9:`, 'U1');
      const subscribers = (jobId: string, teamId: string) => ({
        teamId,
        except: `${teamId}:C1:`,
        keyPrefix: `subscriber:${jobId}:`,
        jobId,
        kind: 'subscriber' as const,
        payload: { reply: { text: `Comparison ${jobId} ended: it's "done" \\ ✓` } },
      });
      const announce = text(`announce:${job.id}`, job.conversationKey, job.id);
      assert.equal(
        await jobs.changeState(
          job.id,
          'completed',
          { finishedAt: new Date(), from: ['queued', 'running'], announced: true },
          [announce],
          subscribers(job.id, job.teamId),
        ),
        true,
      );
      const written = await outbox.forJob(job.id);
      assert.deepEqual(written.map((n) => [n.key, n.conversationKey, n.kind]).sort(), [
        [announce.key, job.conversationKey, 'stage'],
        [`subscriber:${job.id}:${job.teamId}:C2:`, `${job.teamId}:C2:`, 'subscriber'],
        [`subscriber:${job.id}:${job.teamId}:C3:`, `${job.teamId}:C3:`, 'subscriber'],
      ]);
      for (const n of written.filter((w) => w.kind === 'subscriber')) {
        assert.deepEqual(n.payload, subscribers(job.id, job.teamId).payload);
        assert.equal(n.state, 'pending');
        assert.equal(n.jobId, job.id);
      }
      assert.equal(
        await jobs.changeState(job.id, 'failed', { from: ['queued', 'running'] }, [], {
          ...subscribers(job.id, job.teamId),
          keyPrefix: `again:${job.id}:`,
        }),
        false,
      );
      assert.equal((await outbox.forJob(job.id)).length, 3, 'no lines without the change they report');

      // The claim to announce writes the lines too, once; with no subscriber but its own, none.
      await subscriptions.subscribe(other.teamId, `${other.teamId}:C1:`, 'U1');
      assert.equal(
        await jobs.markAnnounced(other.id, [], {
          ...subscribers(other.id, other.teamId),
          except: `${other.teamId}:C9:`,
        }),
        true,
      );
      assert.deepEqual(
        (await outbox.forJob(other.id)).map((n) => n.conversationKey),
        [`${other.teamId}:C1:`],
      );
      assert.equal(await jobs.markAnnounced(other.id, [], subscribers(other.id, other.teamId)), false);
      assert.equal((await outbox.forJob(other.id)).length, 1);

      // A notice that cannot be stored as JSON fails the change before anything is written.
      const third = await oneRunJob();
      const broken = { ...text(`x:${third.id}`, third.conversationKey, third.id), payload: { n: 1n } };
      await assert.rejects(
        jobs.changeState(third.id, 'failed', {}, [broken as unknown as NoticeInput]),
        /BigInt/,
      );
      assert.equal((await jobs.getById(third.id))?.state, 'queued');
    });

    it('adds a stage and its notice together: a second caller adding the same stage writes neither', async () => {
      const { jobs, outbox } = ctx.repos();
      const job = await oneRunJob();
      const stage = [{ task: 'customer_service', method: 'full', seed: 0, learningRate: 1e-4 }];
      const notice = text(`stage:${job.id}:1`, job.conversationKey, job.id);
      assert.equal((await jobs.addRuns(job.id, 1, stage, [notice])).length, 1);
      assert.equal((await jobs.addRuns(job.id, 1, stage, [{ ...notice, key: `${notice.key}b` }])).length, 0);
      assert.deepEqual(
        (await outbox.forJob(job.id)).map((n) => n.key),
        [notice.key],
      );
    });
  });
}
