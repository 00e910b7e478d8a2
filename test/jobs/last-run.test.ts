import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QueueEvents } from 'bullmq';
import { CancellationRegistry } from '../../jobs/cancellation';
import { type ControlPlane, startControlPlane } from '../../jobs/control-plane';
import { QUEUES } from '../../jobs/definitions';
import { BullComparisonDispatcher } from '../../jobs/dispatcher';
import { redisConnectionOptions } from '../../jobs/redis-connection';
import { type RunWorker, startRunWorker } from '../../jobs/worker/worker';
import { ComparisonTracker } from '../../src/comparison/tracker';
import {
  createRepositories,
  type Database,
  openDatabase,
  type Repositories,
} from '../../src/persistence/index';
import { FAKE_TRAINER_PATH } from '../fixtures/trainers/fake-runs';
import { createComparison, dispatchComparison } from '../support/fake-comparison';
import { RecordingNotifier } from '../support/recording-notifier';
import { deleteRedisKeys, TEST_REDIS_URL } from '../support/test-services';

/**
 * A comparison's last run to end is recorded by its parent job, in the pass that ends the
 * comparison; the queue's "completed" event of that run writes nothing (earlier runs are written
 * from their events, so progress shows them as they end).
 */
describe('the last run of a comparison (real Redis, fake trainer)', () => {
  const prefix = `faceoff-last-run-${randomBytes(4).toString('hex')}`;
  const connection = redisConnectionOptions(TEST_REDIS_URL);
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-last-run-'));
  const fromEvents: string[] = [];
  let db: Database;
  let repositories: Repositories;
  let controlPlane: ControlPlane;
  let worker: RunWorker;
  let dispatcher: BullComparisonDispatcher;
  let cancellation: CancellationRegistry;
  let parentEvents: QueueEvents;

  before(async () => {
    db = await openDatabase({ url: 'memory:' });
    repositories = createRepositories(db.prisma);
    const tracker = new (class extends ComparisonTracker {
      override runCompleted(...args: Parameters<ComparisonTracker['runCompleted']>) {
        fromEvents.push(args[0]);
        return super.runCompleted(...args);
      }
    })({ repositories, notifier: new RecordingNotifier() });
    controlPlane = startControlPlane({ connection, prefix, tracker });
    cancellation = new CancellationRegistry({ connection, prefix });
    dispatcher = new BullComparisonDispatcher(connection, prefix, cancellation, {
      attempts: 1,
      backoffMs: 0,
    });
    process.env.FAKE_TRAINER_BEHAVIOUR = 'succeed';
    process.env.FAKE_TRAINER_STEP_MS = '0';
    // One slot: the runs end one after another.
    worker = await startRunWorker({
      connection,
      prefix,
      artifactDir: dir,
      trainerPath: FAKE_TRAINER_PATH,
      progressIntervalMs: 0,
      slots: { kind: 'cpu', count: 1 },
      log: () => {},
    });
    parentEvents = new QueueEvents(QUEUES.comparisons, { connection, prefix });
    await Promise.all([controlPlane.ready(), parentEvents.waitUntilReady()]);
  });

  after(async () => {
    await Promise.allSettled([
      worker?.close(),
      controlPlane?.close(),
      parentEvents?.close(),
      dispatcher?.close(),
      cancellation?.close(),
    ]);
    await db?.close();
    await deleteRedisKeys(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is written once, by the parent, with its result; the earlier run by its event', async () => {
    const job = await createComparison(repositories.jobs, 'console:last', ['lora', 'full']);
    const ended = new Promise<void>((resolve) => {
      parentEvents.on('completed', ({ jobId }) => {
        if (jobId === job.id) resolve();
      });
    });
    await dispatchComparison(dispatcher, job);
    await ended;
    const stored = await repositories.jobs.getById(job.id);
    assert.equal(stored?.state, 'completed');
    assert.deepEqual(
      stored?.runs.map((r) => [r.state, Boolean(r.summary), r.progress]),
      stored?.runs.map(() => ['completed', true, { step: 2, total: 2, evalLoss: 1.6 }]),
    );
    for (const run of stored?.runs ?? [])
      assert.equal((await repositories.jobs.metricSeries(run.id)).train_loss?.length, 2);
    // Let the last run's event (which follows the parent's pick-up) be handled before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const [first, last] = [...(stored?.runs ?? [])].sort(
      (a, b) => (a.finishedAt?.getTime() ?? 0) - (b.finishedAt?.getTime() ?? 0),
    );
    assert.deepEqual(fromEvents, [first?.id], `the last run (${last?.id}) is the parent's to write`);
  });
});
