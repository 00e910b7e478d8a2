import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { FlowProducer, QueueEvents, Worker } from 'bullmq';
import { CancellationRegistry } from '../../jobs/cancellation';
import { startControlPlane } from '../../jobs/control-plane';
import { QUEUES } from '../../jobs/definitions';
import { BullComparisonDispatcher } from '../../jobs/dispatcher';
import type { WorkerMetrics } from '../../jobs/job-metrics';
import { redisConnectionOptions } from '../../jobs/redis-connection';
import { startRunWorker } from '../../jobs/worker/worker';
import type { Reply } from '../../src/chat/replies';
import type { RunMetrics } from '../../src/comparison/run-metrics';
import { ComparisonTracker, type RunProgressReport } from '../../src/comparison/tracker';
import { createRepositories, openDatabase } from '../../src/persistence/index';
import { FAKE_TRAINER_PATH } from '../fixtures/trainers/fake-runs';
import { postgresBackend } from '../persistence/backends';
import { createComparison, dispatchComparison } from '../support/fake-comparison';
import { RecordingNotifier } from '../support/recording-notifier';
import { deleteRedisKeys } from '../support/test-services';
import { type BenchRow, ms, percentile, ratio } from './measure';

const N = 30;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Timings {
  startLatency: number[];
  aggregation: number[];
  /** Last child done -> the announcement handed to the chat platform (Faceoff only). */
  posted: number[];
}

/** One set-up (bare BullMQ or Faceoff): `once(i)` runs comparison `i` through it and times it. */
interface Rig {
  once(i: number): Promise<{ start: number; aggregation: number; posted?: number }>;
  close(): Promise<void>;
}

/**
 * Runs `n` comparisons through each rig, the rigs taking turns (which goes first alternates), so a
 * change of load on a shared machine weighs on every rig alike.
 */
async function alternately(rigs: Rig[], n = N): Promise<Timings[]> {
  const timings = rigs.map((): Timings => ({ startLatency: [], aggregation: [], posted: [] }));
  for (let i = 0; i < n; i++) {
    const order = i % 2 === 0 ? rigs.keys() : [...rigs.keys()].reverse();
    for (const r of order) {
      const { start, aggregation, posted } = await (rigs[r] as Rig).once(i);
      timings[r]?.startLatency.push(start);
      timings[r]?.aggregation.push(aggregation);
      if (posted !== undefined) timings[r]?.posted.push(posted);
    }
  }
  return timings;
}

export const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

/** The same fake trainer the Faceoff worker runs, spawned by a bare BullMQ worker. */
function spawnFakeTrainer(dir: string, id: string, onFirstLine: () => void): Promise<void> {
  const out = join(dir, id);
  mkdirSync(out, { recursive: true });
  const config = join(out, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      run_id: id,
      task: 'customer_service',
      model: 'tiny',
      method: 'lora',
      seed: 0,
      max_steps: 2,
    }),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(
      'python3',
      ['-m', 'faceoff_trainer', 'train', '--config', config, '--output-dir', out],
      {
        env: {
          ...process.env,
          PYTHONPATH: FAKE_TRAINER_PATH,
          FAKE_TRAINER_BEHAVIOUR: 'succeed',
          FAKE_TRAINER_STEP_MS: '0',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    createInterface({ input: child.stdout }).once('line', onFirstLine);
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
}

/**
 * Bare BullMQ doing the same flow; with `databaseUrl`, its parent also commits one row there (the
 * least a durable end can cost) after reading its children's values.
 */
async function bareBullmq(prefix: string, name = 'bare', databaseUrl?: string): Promise<Rig> {
  const db = databaseUrl ? await openDatabase({ url: databaseUrl }) : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-bench-bare-'));
  const connection = redisConnectionOptions(REDIS_URL);
  const flows = new FlowProducer({ connection, prefix });
  const events = new QueueEvents(`${name}-parents`, { connection, prefix });
  const runEvents = new QueueEvents(`${name}-runs`, { connection, prefix });
  const started = new Map<string, number>();
  runEvents.on('progress', ({ jobId }) => {
    if (!started.has(jobId)) started.set(jobId, performance.now());
  });
  const children = new Worker(
    `${name}-runs`,
    async (job) => {
      await spawnFakeTrainer(dir, job.id ?? 'x', () => void job.updateProgress({ started: true }));
      return { ok: true };
    },
    { connection, prefix },
  );
  // When each parent's processing returned.
  const aggregated = new Map<string, number>();
  const parents = new Worker(
    `${name}-parents`,
    async (job) => {
      const values = await job.getChildrenValues();
      if (db)
        await db.prisma
          .$executeRaw`INSERT INTO "ProcessedDelivery" ("key") VALUES (${`${prefix}:${job.id}`})`;
      aggregated.set(job.id ?? '', performance.now());
      return values;
    },
    { connection, prefix },
  );
  // When each run's job was done, as its worker saw it (BullMQ's finishedOn is whole milliseconds).
  const childDone = new Map<string, number>();
  children.on('completed', (job) => void childDone.set(job.id ?? '', performance.now()));
  await Promise.all([
    events.waitUntilReady(),
    runEvents.waitUntilReady(),
    children.waitUntilReady(),
    parents.waitUntilReady(),
  ]);
  const once = async (i: number) => {
    const t0 = performance.now();
    const done = new Promise<void>((resolve) => {
      const listener = ({ jobId }: { jobId: string }) => {
        if (jobId === `p${i}`) {
          events.off('completed', listener);
          resolve();
        }
      };
      events.on('completed', listener);
    });
    await flows.add({
      name: 'parent',
      queueName: `${name}-parents`,
      opts: { jobId: `p${i}` },
      children: [{ name: 'run', queueName: `${name}-runs`, opts: { jobId: `c${i}` }, data: {} }],
    });
    await done;
    return {
      start: (started.get(`c${i}`) ?? Number.NaN) - t0,
      aggregation: (aggregated.get(`p${i}`) ?? Number.NaN) - (childDone.get(`c${i}`) ?? Number.NaN),
    };
  };
  const close = async () => {
    await Promise.all([children.close(), parents.close(), events.close(), runEvents.close(), flows.close()]);
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { once, close };
}

/** Faceoff's dispatcher, control plane, tracker and worker; recording metrics when given them. */
export async function faceoff(prefix: string, metrics?: RunMetrics & WorkerMetrics): Promise<Timings> {
  const rig = await faceoffRig(prefix, metrics);
  try {
    const [timings] = await alternately([rig]);
    return timings as Timings;
  } finally {
    await rig.close();
  }
}

async function faceoffRig(
  prefix: string,
  metrics?: RunMetrics & WorkerMetrics,
  databaseUrl = 'memory:',
): Promise<Rig> {
  const connection = redisConnectionOptions(REDIS_URL);
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-bench-jobs-'));
  const db = await openDatabase({ url: databaseUrl });
  const repositories = createRepositories(db.prisma);
  // When each announcement reached the chat platform.
  const postedAt = new Map<string, number>();
  const notifier = new (class extends RecordingNotifier {
    override async post(key: string, reply: Reply): Promise<void> {
      const id = /^Comparison (\S+) finished/.exec(reply.text)?.[1];
      if (id && !postedAt.has(id)) postedAt.set(id, performance.now());
      return super.post(key, reply);
    }
  })();
  // The first progress of each run as the control plane sees it: when it hands it to the tracker.
  const firstProgress = new Map<string, number>();
  // When the parent's end of each comparison returned (its processing returns with it).
  const aggregated = new Map<string, number>();
  const tracker = new (class extends ComparisonTracker {
    override runProgress(comparisonId: string, runId: string, progress: RunProgressReport) {
      if (!firstProgress.has(runId)) firstProgress.set(runId, performance.now());
      return super.runProgress(comparisonId, runId, progress);
    }
    override async comparisonEnded(...args: Parameters<ComparisonTracker['comparisonEnded']>) {
      const ended = await super.comparisonEnded(...args);
      aggregated.set(args[0], performance.now());
      return ended;
    }
  })({
    repositories,
    notifier,
    // The product's progress interval (FACEOFF_PROGRESS_INTERVAL_MS' default): a comparison's first
    // progress is posted at once, later ones at most every 5 s, as deployed. The first event is
    // timed when the tracker receives it, before that interval applies.
    ...(metrics ? { metrics } : {}),
  });
  const controlPlane = startControlPlane({ connection, prefix, tracker });
  const cancellation = new CancellationRegistry({ connection, prefix });
  const dispatcher = new BullComparisonDispatcher(connection, prefix, cancellation, {
    attempts: 1,
    backoffMs: 0,
  });
  process.env.FAKE_TRAINER_BEHAVIOUR = 'succeed';
  process.env.FAKE_TRAINER_STEP_MS = '0';
  const worker = await startRunWorker({
    connection,
    prefix,
    artifactDir: dir,
    trainerPath: FAKE_TRAINER_PATH,
    // The worker's progress interval as deployed (at most one step report a second; the start is
    // reported at once, the last state when the trainer exits): not a report for every event.
    ...(metrics ? { metrics } : {}),
    log: () => {},
  });
  // When each run's job was done, as its worker saw it (BullMQ's finishedOn is whole milliseconds).
  const childDone = new Map<string, number>();
  worker.worker.on('completed', (job) => void childDone.set(job.id ?? '', performance.now()));
  const parentEvents = new QueueEvents(QUEUES.comparisons, { connection, prefix });
  await Promise.all([controlPlane.ready(), parentEvents.waitUntilReady()]);
  const once = async () => {
    const job = await createComparison(repositories.jobs, 'console:bench', ['lora']);
    const run = job.runs[0];
    if (!run) throw new Error('no run');
    // Waits for the parent's completion the way the bare run does (no polling of the database
    // beside the work measured); the parent completes once the end is stored and announced.
    const done = new Promise<void>((resolve) => {
      const listener = ({ jobId }: { jobId: string }) => {
        if (jobId === job.id) {
          parentEvents.off('completed', listener);
          resolve();
        }
      };
      parentEvents.on('completed', listener);
    });
    const t0 = performance.now();
    await dispatchComparison(dispatcher, job);
    await done;
    if (!(await repositories.jobs.getById(job.id))?.announcedAt)
      throw new Error(`comparison ${job.id} completed without being announced`);
    await tracker.drain();
    const posted = postedAt.get(job.id);
    if (posted === undefined) throw new Error(`the announcement of ${job.id} was not posted`);
    const child = childDone.get(run.id) ?? Number.NaN;
    return {
      start: (firstProgress.get(run.id) ?? Number.NaN) - t0,
      aggregation: (aggregated.get(job.id) ?? Number.NaN) - child,
      posted: posted - child,
    };
  };
  const close = async () => {
    await Promise.all([
      worker.close(),
      controlPlane.close(),
      parentEvents.close(),
      dispatcher.close(),
      cancellation.close(),
    ]);
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { once, close };
}

/**
 * Enqueue -> trainer-process start, and parent aggregation, next to bare BullMQ doing the same:
 * both set up side by side, taking turns comparison by comparison. Faceoff on the embedded
 * database (the demo's), or with `databaseUrl` (section `jobs-pg`: PostgreSQL, as deployed).
 */
export async function benchJobs(section = 'jobs', databaseUrl?: string): Promise<BenchRow[]> {
  const prefix = `faceoff-bench-${randomBytes(4).toString('hex')}`;
  const rigs: Rig[] = [];
  const on = databaseUrl ? ', on PostgreSQL' : '';
  try {
    rigs.push(
      await bareBullmq(prefix),
      await bareBullmq(prefix, 'bare-write', databaseUrl ?? 'memory:'),
      await faceoffRig(prefix, undefined, databaseUrl),
    );
    const [bare, bareWrite, ours] = (await alternately(rigs)) as [Timings, Timings, Timings];
    const [bs, os, ba, bw, oa, op] = [
      stats(bare.startLatency),
      stats(ours.startLatency),
      stats(bare.aggregation),
      stats(bareWrite.aggregation),
      stats(ours.aggregation),
      stats(ours.posted),
    ];
    return [
      {
        section,
        measure: `enqueue -> trainer's first event seen by the control plane${on} (p50 / p99, n=${N})`,
        value: `${ms(os.p50)} / ${ms(os.p99)}`,
        baseline: `bare BullMQ flow + spawn + updateProgress ${ms(bs.p50)} / ${ms(bs.p99)}`,
        ratio: ratio(os.p50, bs.p50),
      },
      {
        section,
        measure: `last child done (its worker's event) -> parent aggregated, stored with its announcement in the outbox (its processing returned)${on} (p50 / p99, n=${N})`,
        value: `${ms(oa.p50)} / ${ms(oa.p99)}`,
        baseline: `bare parent getChildrenValues ${ms(ba.p50)} / ${ms(ba.p99)}`,
        ratio: ratio(oa.p50, ba.p50),
      },
      {
        section,
        measure: `the same, next to a bare parent that also commits one row to the database${on} (p50 / p99, n=${N})`,
        value: `${ms(oa.p50)} / ${ms(oa.p99)}`,
        baseline: `bare parent getChildrenValues + one INSERT ${ms(bw.p50)} / ${ms(bw.p99)}`,
        ratio: ratio(oa.p50, bw.p50),
      },
      {
        section,
        measure: `last child done (its worker's event) -> announcement handed to the chat platform${on} (p50 / p99, n=${N})`,
        value: `${ms(op.p50)} / ${ms(op.p99)}`,
        baseline: `bare parent getChildrenValues ${ms(ba.p50)} / ${ms(ba.p99)}`,
        ratio: ratio(op.p50, ba.p50),
      },
    ];
  } finally {
    await Promise.all(rigs.map((rig) => rig.close()));
    await deleteRedisKeys(prefix);
  }
}

/** Section `jobs-pg`: the same with the control plane's database on PostgreSQL. */
export async function benchJobsPostgres(): Promise<BenchRow[]> {
  const server = await postgresBackend();
  if ('skip' in server) throw new Error(server.skip);
  try {
    return await benchJobs('jobs-pg', server.backend.url);
  } finally {
    await server.backend.cleanup();
  }
}
