import assert from 'node:assert/strict';
import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Queue, QueueEvents } from 'bullmq';
import {
  QUEUES,
  type RunProgress,
  type TrainingRunPayload,
  type TrainingRunResult,
} from '../../../jobs/definitions';
import type { TrainerConfig } from '../../../jobs/trainer-protocol';
import { type RunWorker, startRunWorker } from '../../../jobs/worker/worker';
import {
  deleteKeys,
  REPO_ROOT,
  testConnection,
  uniquePrefix,
  waitFor,
} from '../../fixtures/trainers/fake-runs';

/**
 * The real Python trainer on the tiny model under the real worker: a trainer killed with SIGKILL
 * after its first checkpoint is retried by BullMQ, and the retry continues from the checkpoint.
 */
const prefix = uniquePrefix('resume');
const connection = testConnection();
let artifactDir: string;
let queue: Queue<TrainingRunPayload, TrainingRunResult>;
let events: QueueEvents;
let worker: RunWorker;
const progress = new Map<string, RunProgress[]>();

before(async () => {
  artifactDir = await mkdtemp(path.join(tmpdir(), 'faceoff-resume-'));
  queue = new Queue(QUEUES.runs, { connection, prefix });
  events = new QueueEvents(QUEUES.runs, { connection, prefix });
  events.on('progress', ({ jobId, data }) => {
    progress.set(jobId, [...(progress.get(jobId) ?? []), data as RunProgress]);
  });
  await events.waitUntilReady();
  worker = await startRunWorker({
    connection,
    prefix,
    artifactDir,
    trainerCwd: REPO_ROOT,
    slots: { kind: 'cpu', count: 1 },
    graceMs: 2000,
    progressIntervalMs: 100,
  });
});

after(async () => {
  await worker?.close();
  await events?.close();
  await queue?.close();
  await deleteKeys(prefix);
  await rm(artifactDir, { recursive: true, force: true });
});

/** The pid of the trainer process writing into `outputDir` (its command line names it). */
async function trainerPid(outputDir: string): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const args = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (args.includes('faceoff_trainer') && args.includes(outputDir)) return Number(entry);
  }
  return undefined;
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe('a retried run resumes from its checkpoint (real trainer, tiny model)', () => {
  it('is killed with SIGKILL after a checkpoint, retried, and continues from it with the same losses', async () => {
    const runId = 'run-resume';
    const config: TrainerConfig = {
      run_id: runId,
      task: 'customer_service',
      model: 'tiny',
      method: 'lora',
      seed: 0,
      max_steps: 12,
      batch_size: 4,
      seq_len: 128,
      eval_every: 6,
      eval_size: 8,
      test_size: 1,
      max_new_tokens: 8,
      deploy_requests: 0,
      checkpoint_eval_size: 0,
      checkpoint_every: 3,
    };
    const job = await queue.add(
      'training-run',
      { comparisonId: 'cmp-resume', runId, teamKey: 'team-a', config },
      { jobId: runId, attempts: 2, backoff: { type: 'fixed', delay: 100 } },
    );
    const outputDir = path.join(artifactDir, 'cmp-resume', runId);
    const checkpoint = path.join(outputDir, 'checkpoint', 'state.pt');

    await waitFor('the first checkpoint', () => exists(checkpoint), 60_000, 20);
    // A step past the checkpoint, so that the retry trains again steps the killed attempt reported.
    await waitFor(
      'a step after the checkpoint',
      () => progress.get(runId)?.some((p) => p.points?.some((q) => q.series === 'train_loss' && q.step >= 4)),
      30_000,
      20,
    );
    const pid = await waitFor('the trainer process', () => trainerPid(outputDir), 5000, 20);
    process.kill(pid, 'SIGKILL');

    const result = await job.waitUntilFinished(events, 90_000);
    assert.equal(result.status, 'completed');
    assert.equal((await queue.getJob(runId))?.attemptsMade, 2, 'the killed attempt and the resumed one');

    const reports = await waitFor(
      'the finished report',
      () => {
        const sent = progress.get(runId) ?? [];
        return sent.some((p) => p.phase === 'finished') && sent;
      },
      5000,
    );
    const retry = reports.findIndex((p) => p.resumedFrom !== undefined);
    assert.ok(retry > 0, 'the retry reported where it resumed');
    const resumedFrom = reports[retry]?.resumedFrom ?? 0;
    assert.ok(resumedFrom >= 3 && resumedFrom % 3 === 0 && resumedFrom < 12, `resumed from ${resumedFrom}`);

    const summary = result.summary;
    assert.ok(summary);
    assert.equal(summary.resumed_from_step, resumedFrom);
    assert.deepEqual(
      summary.train_curve.map((p) => p.step),
      Array.from({ length: 12 }, (_, i) => i + 1),
      'one continuous curve, steps 1 to 12',
    );
    // Steps the killed attempt reported have the same losses in the final curve: those before the
    // checkpoint come from it, those after it were trained again from the same state and data.
    const losses = new Map(summary.train_curve.map((p) => [p.step, p.loss]));
    const killed = reports.slice(0, retry).flatMap((p) => p.points ?? []);
    const trained = killed.filter((p) => p.series === 'train_loss');
    assert.ok(trained.length >= resumedFrom, 'the killed attempt reported its steps');
    for (const point of trained) assert.equal(losses.get(point.step), point.value, `step ${point.step}`);
    const retried = reports.slice(retry).flatMap((p) => p.points ?? []);
    assert.equal(
      Math.min(...retried.filter((p) => p.series === 'train_loss').map((p) => p.step)),
      resumedFrom + 1,
      'the retry trained only the steps after its checkpoint',
    );
    assert.equal(await exists(path.join(outputDir, 'checkpoint')), false, 'removed once the run finished');
    assert.equal(await exists(path.join(outputDir, 'result.json')), true);
  });
});
