import assert from 'node:assert/strict';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type JobsOptions, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { CancellationRegistry } from '../../../jobs/cancellation';
import {
  QUEUES,
  type RunProgress,
  type TrainingRunPayload,
  type TrainingRunResult,
} from '../../../jobs/definitions';
import type { TrainerConfig } from '../../../jobs/trainer-protocol';
import { parseRunFailure } from '../../../jobs/worker/run-failure';
import { type RunWorker, startRunWorker } from '../../../jobs/worker/worker';
import {
  deleteKeys,
  FAKE_TRAINER_PATH,
  type FakeBehaviour,
  fakeConfig,
  isAlive,
  readAttempts,
  testConnection,
  uniquePrefix,
  waitFor,
  waitForPid,
} from '../../fixtures/trainers/fake-runs';

const prefix = uniquePrefix('runs');
const connection = testConnection();
let artifactDir: string;
let queue: Queue<TrainingRunPayload, TrainingRunResult>;
let events: QueueEvents;
let control: CancellationRegistry;
let worker: RunWorker;
const progress = new Map<string, RunProgress[]>();
let counter = 0;

function startWorker(): Promise<RunWorker> {
  return startRunWorker({
    connection,
    prefix,
    artifactDir,
    trainerPath: FAKE_TRAINER_PATH,
    slots: { kind: 'cpu', count: 1 },
    graceMs: 500,
    progressIntervalMs: 100,
    lockDurationMs: 2000,
    stalledIntervalMs: 1000,
    cancelPollMs: 200,
  });
}

before(async () => {
  artifactDir = await mkdtemp(path.join(tmpdir(), 'faceoff-runs-'));
  queue = new Queue(QUEUES.runs, { connection, prefix });
  events = new QueueEvents(QUEUES.runs, { connection, prefix });
  events.on('progress', ({ jobId, data }) => {
    progress.set(jobId, [...(progress.get(jobId) ?? []), data as RunProgress]);
  });
  await events.waitUntilReady();
  control = new CancellationRegistry({ connection, prefix });
  worker = await startWorker();
});

after(async () => {
  await worker.close();
  await events.close();
  await queue.close();
  await control.close();
  await deleteKeys(prefix);
  await rm(artifactDir, { recursive: true, force: true });
});

async function addRun(behaviour: FakeBehaviour, opts: JobsOptions = {}, config: Partial<TrainerConfig> = {}) {
  counter += 1;
  const runId = `run-${counter}-${behaviour}`;
  const payload: TrainingRunPayload = {
    comparisonId: 'cmp-1',
    runId,
    teamKey: 'team-a',
    config: fakeConfig(behaviour, { run_id: runId, ...config }),
  };
  const job = await queue.add('training-run', payload, { jobId: runId, ...opts });
  return { job, runId, outputDir: path.join(artifactDir, 'cmp-1', runId) };
}

async function finishedJob(jobId: string) {
  const job = await queue.getJob(jobId);
  assert.ok(job);
  return job;
}

describe('training-run worker', () => {
  it('completes a run with its summary, and streams progress with new points', async () => {
    const { job, runId, outputDir } = await addRun('succeed');
    const result = await job.waitUntilFinished(events, 15_000);
    assert.equal(result.status, 'completed');
    assert.equal(result.outputDir, outputDir);
    assert.equal(result.summary?.run_id, runId);
    await waitFor('finished progress', () => progress.get(runId)?.some((p) => p.phase === 'finished'), 3000);
    const reports = progress.get(runId) ?? [];
    assert.equal(reports[0]?.phase, 'starting');
    assert.ok(reports.some((p) => p.phase === 'evaluating' && p.evalLoss !== undefined));
    const points = reports.flatMap((p) => p.points ?? []);
    assert.deepEqual(
      points.filter((p) => p.series === 'train_loss').map((p) => p.step),
      [1, 2, 3, 4, 5, 6],
    );
    assert.deepEqual(
      points.filter((p) => p.series === 'eval_loss').map((p) => p.step),
      [3, 6],
    );
  });

  it('completes a run whose trainer prints garbage between events', async () => {
    const { job } = await addRun('garbage');
    assert.equal((await job.waitUntilFinished(events, 15_000)).status, 'completed');
  });

  it('retries a crashing trainer with backoff and reports the attempt', async () => {
    const { job, outputDir } = await addRun('crash', { attempts: 2, backoff: { type: 'fixed', delay: 300 } });
    const started = Date.now();
    await assert.rejects(job.waitUntilFinished(events, 15_000));
    assert.ok(Date.now() - started >= 300, 'the retry waited for the backoff');
    const failed = await finishedJob(job.id as string);
    assert.equal(failed.attemptsMade, 2);
    assert.equal(await readAttempts(outputDir), 2);
    const reason = parseRunFailure(failed.failedReason);
    assert.equal(reason.kind, 'crash');
    assert.equal(reason.exitCode, 1);
    assert.equal(reason.attempt, 2);
    assert.match(reason.message, /exited with code 1: RuntimeError: CUDA error/);
    assert.ok(reason.stderrTail.includes('Traceback (most recent call last):'));
  });

  it('succeeds on a later attempt after a crash', async () => {
    const { job } = await addRun('crash-once', { attempts: 3, backoff: { type: 'fixed', delay: 100 } });
    assert.equal((await job.waitUntilFinished(events, 15_000)).status, 'completed');
    assert.equal((await finishedJob(job.id as string)).attemptsMade, 2, 'the crash and the success');
  });

  it('fails a full disk at once, without retrying, and says so', async () => {
    const { job, outputDir } = await addRun('disk-full', {
      attempts: 3,
      backoff: { type: 'fixed', delay: 100 },
    });
    await assert.rejects(job.waitUntilFinished(events, 15_000));
    const failed = await finishedJob(job.id as string);
    assert.equal(failed.attemptsMade, 1, 'not retried: the same disk is as full on the next try');
    assert.equal(await readAttempts(outputDir), 1);
    const reason = parseRunFailure(failed.failedReason);
    assert.equal(reason.kind, 'disk_full');
    assert.equal(reason.exitCode, 1);
    assert.match(reason.message, /^disk full on worker w1 while writing/);
  });

  it('fails bad data at once, without retrying, keeping the trainer reason', async () => {
    const { job, outputDir } = await addRun('bad-data', {
      attempts: 3,
      backoff: { type: 'fixed', delay: 100 },
    });
    await assert.rejects(job.waitUntilFinished(events, 15_000));
    const failed = await finishedJob(job.id as string);
    assert.equal(failed.attemptsMade, 1);
    assert.equal(await readAttempts(outputDir), 1);
    const reason = parseRunFailure(failed.failedReason);
    assert.deepEqual(
      { kind: reason.kind, message: reason.message, exitCode: reason.exitCode, attempt: reason.attempt },
      { kind: 'bad_data', message: "row 3 of train.jsonl has no 'answer' field", exitCode: 2, attempt: 1 },
    );
  });

  it('fails an invalid config at once as bad_config', async () => {
    const { job } = await addRun('succeed', { attempts: 3 }, { max_steps: 0 });
    await assert.rejects(job.waitUntilFinished(events, 15_000));
    const failed = await finishedJob(job.id as string);
    assert.equal(failed.attemptsMade, 1);
    assert.match(parseRunFailure(failed.failedReason).message, /max_steps/);
  });

  it('stops a running trainer when the run is cancelled, and ends the job as cancelled', async () => {
    const { job, outputDir } = await addRun('hang');
    const pid = await waitForPid(path.join(outputDir, 'trainer.pid'));
    const grandchild = await waitForPid(path.join(outputDir, 'grandchild.pid'));
    await control.cancel([job.id as string]);
    const result = await job.waitUntilFinished(events, 10_000);
    assert.equal(result.status, 'cancelled');
    assert.equal(isAlive(pid), false);
    await waitFor('grandchild gone', () => !isAlive(grandchild), 2000);
  });

  it('stops a running trainer for a stored cancel whose publish it never received', async () => {
    const { job, outputDir } = await addRun('hang');
    const pid = await waitForPid(path.join(outputDir, 'trainer.pid'));
    // Stored as the control plane stores it, but not published: as if the subscriber was away.
    const client = new Redis(connection);
    try {
      await client.sadd(control.setKey, job.id as string);
    } finally {
      client.disconnect();
    }
    const result = await job.waitUntilFinished(events, 10_000);
    assert.equal(result.status, 'cancelled');
    assert.equal(isAlive(pid), false);
  });

  it('does not start a run cancelled before it was picked up', async () => {
    counter += 1;
    const runId = `run-${counter}-precancelled`;
    await control.cancel([runId]);
    const { job, outputDir } = await addRun('hang', { jobId: runId }, { run_id: runId });
    const result = await job.waitUntilFinished(events, 10_000);
    assert.equal(result.status, 'cancelled');
    await assert.rejects(access(path.join(outputDir, 'config.json')), 'the trainer never started');
  });

  it('retries a run whose trainer was SIGKILLed mid-run', async () => {
    const { job, outputDir } = await addRun('slow-once', {
      attempts: 2,
      backoff: { type: 'fixed', delay: 100 },
    });
    const pid = await waitForPid(path.join(outputDir, 'trainer.pid'));
    const grandchild = await waitForPid(path.join(outputDir, 'grandchild.pid'));
    await waitFor('a few steps', () => (progress.get(job.id as string)?.length ?? 0) >= 2, 5000);
    process.kill(pid, 'SIGKILL');
    const result = await job.waitUntilFinished(events, 15_000);
    assert.equal(result.status, 'completed');
    assert.equal((await finishedJob(job.id as string)).attemptsMade, 2);
    assert.equal(await readAttempts(outputDir), 2);
    assert.equal(isAlive(grandchild), false);
  });

  it('stops its trainer when it loses the job lock; stalled-job recovery runs the job again', async () => {
    const { job, outputDir } = await addRun('slow-once', { attempts: 1 });
    const pid = await waitForPid(path.join(outputDir, 'trainer.pid'));
    const client = new Redis(connection);
    await client.del(`${prefix}:${QUEUES.runs}:${job.id}:lock`);
    client.disconnect();
    await waitFor('the trainer stopped', () => !isAlive(pid), 5000);
    const result = await job.waitUntilFinished(events, 15_000);
    assert.equal(result.status, 'completed');
    assert.equal(await readAttempts(outputDir), 2);
  });

  it('puts running jobs back in the queue when the worker shuts down, for another worker to finish', async () => {
    const { job, outputDir } = await addRun('slow-once');
    const pid = await waitForPid(path.join(outputDir, 'trainer.pid'));
    await worker.close();
    assert.equal(isAlive(pid), false);
    assert.equal(await job.getState(), 'waiting');
    worker = await startWorker();
    assert.equal((await job.waitUntilFinished(events, 15_000)).status, 'completed');
    const finished = await finishedJob(job.id as string);
    assert.equal(finished.attemptsStarted, 2);
    assert.equal(finished.attemptsMade, 1, 'the interrupted start did not use up an attempt');
  });
});
