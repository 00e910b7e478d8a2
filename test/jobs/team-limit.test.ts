import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { QueueEvents } from 'bullmq';
import { CancellationRegistry } from '../../jobs/cancellation';
import { queueOf } from '../../jobs/definitions';
import { BullComparisonDispatcher } from '../../jobs/dispatcher';
import { redisConnectionOptions } from '../../jobs/redis-connection';
import { startRunWorker } from '../../jobs/worker/worker';
import { taskId } from '../../src/tasks/profiles';
import { FAKE_TRAINER_PATH, TEST_REDIS_URL } from '../fixtures/trainers/fake-runs';
import { deleteRedisKeys } from '../support/test-services';

describe('per-team concurrency (real Redis, two worker slots, fake trainer)', () => {
  const prefix = `faceoff-test-${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-team-'));
  after(async () => {
    await deleteRedisKeys(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('never runs more of one team than its limit, and still runs every run', async () => {
    const connection = redisConnectionOptions(TEST_REDIS_URL);
    process.env.FAKE_TRAINER_BEHAVIOUR = 'succeed';
    process.env.FAKE_TRAINER_STEP_MS = '60';
    const worker = await startRunWorker({
      connection,
      prefix,
      artifactDir: dir,
      trainerPath: FAKE_TRAINER_PATH,
      slots: { kind: 'cpu', count: 2 },
      teamRetryMs: 100,
      log: () => {},
    });
    const cancellation = new CancellationRegistry({ connection, prefix });
    const dispatcher = new BullComparisonDispatcher(connection, prefix, cancellation, {
      attempts: 1,
      backoffMs: 0,
      teamConcurrency: { default: 1, teams: {} },
    });
    const events = new QueueEvents(queueOf('training-run'), { connection, prefix });
    await events.waitUntilReady();
    const ids = new Set(['tl1-1', 'tl1-2', 'tl1-3']);
    const running = new Set<string>();
    let most = 0;
    let completed = 0;
    const done = new Promise<void>((resolve, reject) => {
      events.on('failed', ({ jobId, failedReason }) => {
        if (ids.has(jobId)) reject(new Error(`run ${jobId} failed: ${failedReason}`));
      });
      // A run is training from its first progress report until it completes.
      events.on('progress', ({ jobId }) => {
        if (!ids.has(jobId) || running.has(jobId)) return;
        running.add(jobId);
        most = Math.max(most, running.size);
      });
      events.on('completed', ({ jobId }) => {
        if (!ids.has(jobId)) return;
        running.delete(jobId);
        completed += 1;
        if (completed === ids.size) resolve();
      });
    });
    try {
      await dispatcher.dispatch({
        comparisonId: 'tl1',
        teamKey: 'console:teamA',
        request: {
          task: { kind: 'suites', tasks: [taskId('customer_service')] },
          model: 'tiny',
          methods: ['lora'],
          seeds: 1,
          maxSteps: 8,
          lrSweep: false,
          gpus: 0,
        },
        runs: [1, 2, 3].map((n) => ({
          runId: `tl1-${n}`,
          task: 'customer_service',
          method: 'lora' as const,
          seed: n,
          learningRate: 1e-3,
        })),
      });
      await done;
      assert.equal(completed, 3);
      assert.equal(most, 1, 'at most one run of the team was active at a time although two slots were free');
    } finally {
      await Promise.all([worker.close(), events.close(), dispatcher.close(), cancellation.close()]);
    }
  });
});
