import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { LOST_RUN, reconcileOpenJobs } from '../../jobs/reconcile';
import { explainFailure } from '../../src/comparison/failures';
import type { ComparisonJobRecord, ComparisonRunRecord } from '../../src/persistence/index';
import { deleteKeys, testConnection, uniquePrefix } from '../fixtures/trainers/fake-runs';

const prefix = uniquePrefix('reconcile');
const connection = testConnection();
after(() => deleteKeys(prefix));

const now = new Date('2026-12-06T12:00:00Z');
const longAgo = new Date(now.getTime() - 10 * 60_000);

function run(id: string, state: string, updatedAt = longAgo): ComparisonRunRecord {
  return {
    id,
    jobId: id.split('-')[0] as string,
    ordinal: Number(id.split('-')[1]),
    task: 'customer_service',
    method: 'lora',
    seed: 0,
    learningRate: 0.02,
    loraRank: null,
    state,
    attempts: 1,
    progress: null,
    summary: null,
    error: null,
    artifactPath: null,
    queueJobId: null,
    startedAt: null,
    finishedAt: null,
    updatedAt,
  } as unknown as ComparisonRunRecord;
}

function job(id: string, runs: ComparisonRunRecord[]): ComparisonJobRecord {
  return { id, state: 'running', createdAt: longAgo, runs } as unknown as ComparisonJobRecord;
}

describe('reconciling open jobs with the queue (real Redis, BullMQ)', () => {
  it('records what the queue finished, fails what it lost, leaves the rest, and closes ended jobs', async () => {
    const queue = new Queue('training-run', { connection, prefix });
    const worker = new Worker(
      'training-run',
      async (j) => {
        if (j.id === 'aaa1111-2') throw new UnrecoverableError('{"kind":"bad_data","message":"line 3"}');
        return { runId: j.id, status: 'completed', summary: { wall_time_s: 1 } };
      },
      { connection, prefix },
    );
    try {
      await queue.add('run', {}, { jobId: 'aaa1111-1' });
      await queue.add('run', {}, { jobId: 'aaa1111-2' });
      await new Promise<void>((resolve) => {
        let ended = 0;
        const done = () => {
          ended += 1;
          if (ended === 2) resolve();
        };
        worker.on('completed', done);
        worker.on('failed', done);
      });
      await worker.close();
      await queue.add('run', {}, { jobId: 'aaa1111-4' }); // waiting: nobody works on it now

      const jobs = new Map([
        [
          'aaa1111',
          job('aaa1111', [
            run('aaa1111-1', 'running'), // the queue completed it
            run('aaa1111-2', 'running'), // the queue failed it for good
            run('aaa1111-3', 'queued'), // the queue never had it or lost it
            run('aaa1111-4', 'queued'), // waiting on the queue
            run('aaa1111-5', 'queued', new Date(now.getTime() - 5_000)), // too recent to judge
          ]),
        ],
        ['bbb2222', job('bbb2222', [run('bbb2222-1', 'completed'), run('bbb2222-2', 'failed')])],
      ]);
      const calls: string[] = [];
      const report = await reconcileOpenJobs({
        jobs: {
          listOpen: async () => [...jobs.values()],
          getById: async (id) => jobs.get(id) ?? null,
        },
        queue,
        tracker: {
          runCompleted: async (runId, result) => {
            calls.push(`completed ${runId} ${(result as { status: string }).status}`);
          },
          runFailed: async (jobId, runId, failure, willRetry) => {
            calls.push(`failed ${jobId} ${runId} ${failure.kind} retry=${willRetry}`);
          },
          comparisonEnded: async (id) => {
            calls.push(`ended ${id}`);
            return null;
          },
        },
        now: () => now,
      });
      assert.deepEqual(calls, [
        'completed aaa1111-1 completed',
        'failed aaa1111 aaa1111-2 bad_data retry=false',
        'failed aaa1111 aaa1111-3 lost retry=false',
        'ended bbb2222',
      ]);
      assert.deepEqual(report, { checked: 2, recorded: 2, lost: 1, closed: 1 });
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  it('tells the user plainly that a run was lost and how to run it again', () => {
    assert.equal(
      explainFailure('lora', LOST_RUN),
      'LoRA was lost: the queue no longer has this run (Redis restarted without persistence, or its keys were deleted); nothing of it was kept. /faceoff retry runs it again.',
    );
  });
});
