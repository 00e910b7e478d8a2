import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Queue, QueueEvents } from 'bullmq';
import { QUEUES, type TrainingRunPayload, type TrainingRunResult } from '../../../jobs/definitions';
import { parentDeathLauncher } from '../../../jobs/trainer-process';
import { type RunWorker, startRunWorker } from '../../../jobs/worker/worker';
import {
  deleteKeys,
  FAKE_TRAINER_PATH,
  type FakeBehaviour,
  fakeConfig,
  isAlive,
  REPO_ROOT,
  readAttempts,
  TEST_REDIS_URL,
  testConnection,
  uniquePrefix,
  waitFor,
  waitForPid,
} from '../../fixtures/trainers/fake-runs';

const prefix = uniquePrefix('process');
const connection = testConnection();
let artifactDir: string;
let queue: Queue<TrainingRunPayload, TrainingRunResult>;
let events: QueueEvents;
const children: ChildProcess[] = [];
const strayPids: number[] = [];

before(async () => {
  artifactDir = await mkdtemp(path.join(tmpdir(), 'faceoff-process-'));
  queue = new Queue(QUEUES.runs, { connection, prefix });
  events = new QueueEvents(QUEUES.runs, { connection, prefix });
  await events.waitUntilReady();
});

after(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const pid of strayPids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  await events.close();
  await queue.close();
  await deleteKeys(prefix);
  await rm(artifactDir, { recursive: true, force: true });
});

/** `npm run worker` as its own process, with short lock and stalled-check times. */
function startWorkerProcess(): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'jobs/worker/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      REDIS_URL: TEST_REDIS_URL,
      FACEOFF_QUEUE_PREFIX: prefix,
      FACEOFF_ARTIFACT_DIR: artifactDir,
      FACEOFF_TRAINER_PATH: FAKE_TRAINER_PATH,
      FACEOFF_GPU_SLOTS: '0',
      FACEOFF_LOCK_DURATION_MS: '1500',
      FACEOFF_STALLED_INTERVAL_MS: '500',
      FACEOFF_TRAINER_GRACE_MS: '1000',
      // The worker applies the model policy: the fake trainer's models are allowed as `fake/<behaviour>`.
      FACEOFF_MODEL_ALLOW: 'fake/*',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function addRun(name: string, behaviour: FakeBehaviour) {
  const runId = `${name}-${behaviour}`;
  const payload: TrainingRunPayload = {
    comparisonId: 'cmp-p',
    runId,
    teamKey: 'team-a',
    config: fakeConfig(behaviour, { run_id: runId, model: `fake/${behaviour}` }),
  };
  const job = await queue.add('training-run', payload, { jobId: runId, attempts: 1 });
  return { job, outputDir: path.join(artifactDir, 'cmp-p', runId) };
}

describe('worker processes', () => {
  it('recovers the job of a worker killed with SIGKILL on a second worker (stalled-job recovery)', async () => {
    const first = startWorkerProcess();
    await waitFor('worker ready', () => first.output().includes('concurrency 1'), 15_000);
    assert.match(first.output(), /slots: 1 CPU slot/);
    const { job, outputDir } = await addRun('killed', 'slow-once');
    const trainer = await waitForPid(path.join(outputDir, 'trainer.pid'));
    strayPids.push(await waitForPid(path.join(outputDir, 'grandchild.pid')));
    assert.equal(await job.getState(), 'active');

    first.child.kill('SIGKILL');
    await first.exited;
    if ((await parentDeathLauncher()).length > 0) {
      await waitFor('the trainer to die with its worker', () => !isAlive(trainer), 3000);
    } else {
      strayPids.push(trainer);
    }

    let second: RunWorker | undefined;
    try {
      second = await startRunWorker({
        connection,
        prefix,
        artifactDir,
        trainerPath: FAKE_TRAINER_PATH,
        slots: { kind: 'cpu', count: 1 },
        lockDurationMs: 1500,
        stalledIntervalMs: 500,
      });
      const result = await job.waitUntilFinished(events, 20_000);
      assert.equal(result.status, 'completed');
      assert.equal(await readAttempts(outputDir), 2);
      const finished = await queue.getJob(job.id as string);
      assert.equal(finished?.attemptsStarted, 2);
    } finally {
      await second?.close();
    }
  });

  it('on SIGTERM stops taking jobs, stops its trainer, requeues the job and exits 0', async () => {
    const worker = startWorkerProcess();
    await waitFor('worker ready', () => worker.output().includes('concurrency 1'), 15_000);
    const { job, outputDir } = await addRun('stopped', 'hang');
    const trainer = await waitForPid(path.join(outputDir, 'trainer.pid'));
    const grandchild = await waitForPid(path.join(outputDir, 'grandchild.pid'));
    worker.child.kill('SIGTERM');
    assert.equal(await worker.exited, 0);
    assert.match(worker.output(), /SIGTERM: stopping/);
    assert.equal(isAlive(trainer), false);
    await waitFor('grandchild gone', () => !isAlive(grandchild), 2000);
    assert.equal(await job.getState(), 'waiting');
    await job.remove();
  });
});
