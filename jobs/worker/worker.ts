/**
 * The GPU worker: a BullMQ Worker on the runs queue with one concurrent job per slot, stopping
 * runs when a cancellation is published, and recovering jobs of workers that died (stalled jobs).
 * It needs only Redis and an artifact directory (and, for workers on other hosts, the bucket).
 */
import path from 'node:path';
import { DelayedError, Worker } from 'bullmq';
import type { ModelPolicy } from '../../src/comparison/model-policy';
import { CancellationRegistry } from '../cancellation';
import { queueOf, type TrainingRunPayload, type TrainingRunResult } from '../definitions';
import type { WorkerMetrics } from '../job-metrics';
import type { RedisConnectionOptions } from '../redis-connection';
import { TeamConcurrencyLimiter } from '../team-limiter';
import { createRunProcessor, LOCK_LOST_REASON, type RunStorage, SHUTDOWN_REASON } from './run-processor';
import { describeSlots, detectSlots, type SlotLayout, SlotPool } from './slots';

export const USER_CANCEL_REASON = 'cancelled by request';
const DEFAULT_CANCEL_POLL_MS = 5000;

export interface StartRunWorkerOptions {
  connection: RedisConnectionOptions;
  /** BullMQ key prefix (default `faceoff`). */
  prefix?: string;
  artifactDir: string;
  python?: string;
  trainerCwd?: string;
  /** Directory holding the `faceoff_trainer` package (default `<trainerCwd>/jobs/trainer`). */
  trainerPath?: string;
  trainerEnv?: Record<string, string>;
  /** Which models runs may load; every model is accepted without one (tests with a fake trainer). */
  models?: ModelPolicy;
  /** Default: detected (FACEOFF_GPU_SLOTS, nvidia-smi, else one CPU slot). */
  slots?: SlotLayout;
  /** How long a job's lock lasts without renewal; a dead worker's job is recovered after about this long. */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died. */
  stalledIntervalMs?: number;
  /** How many times a job may be recovered from a dead worker before it fails. */
  maxStalledCount?: number;
  /** SIGTERM -> SIGKILL grace for trainers being cancelled. */
  graceMs?: number;
  progressIntervalMs?: number;
  /** How long a run over its team's concurrency limit waits before trying again. */
  teamRetryMs?: number;
  /**
   * How often running runs are checked against the stored cancellations, so that a cancel whose
   * publish this worker missed (its subscriber reconnecting) still stops the trainer (default 5 s).
   */
  cancelPollMs?: number;
  /** Records queue wait times and trainer failures (nothing recorded when absent). */
  metrics?: WorkerMetrics;
  /** The bucket runs fetch their inputs from and upload their results to (none: local directories). */
  storage?: RunStorage;
  log?: (message: string) => void;
}

export interface RunWorker {
  worker: Worker<TrainingRunPayload, TrainingRunResult>;
  slots: SlotPool;
  cancellations: CancellationRegistry;
  /** Stops taking jobs, stops running trainers (their jobs go back to the queue), closes connections. */
  close(): Promise<void>;
}

export async function startRunWorker(options: StartRunWorkerOptions): Promise<RunWorker> {
  const log = options.log ?? (() => {});
  const prefix = options.prefix ?? 'faceoff';
  const slots = new SlotPool(options.slots ?? (await detectSlots()));
  const cancellations = new CancellationRegistry({ connection: options.connection, prefix, log });
  const processor = createRunProcessor({
    artifactDir: path.resolve(options.artifactDir),
    slots,
    cancellations,
    python: options.python,
    trainerCwd: options.trainerCwd,
    trainerPath: options.trainerPath,
    trainerEnv: options.trainerEnv,
    ...(options.models ? { models: options.models } : {}),
    graceMs: options.graceMs,
    progressIntervalMs: options.progressIntervalMs,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.storage ? { storage: options.storage } : {}),
    log,
  });
  const activeRuns = new Map<string, string>();
  /** Active queue jobs already told to stop for a cancellation (told once). */
  const stopping = new Set<string>();
  const teams = new TeamConcurrencyLimiter(options.connection, prefix);
  const teamRetryMs = options.teamRetryMs ?? 5000;

  const worker = new Worker<TrainingRunPayload, TrainingRunResult>(
    queueOf('training-run'),
    async (job, token, signal) => {
      const limit = job.data.teamConcurrency;
      const place = job.id ?? job.data.runId;
      if (limit && !(await teams.tryAcquire(job.data.teamKey, place, limit))) {
        log(
          `job ${job.id}: team ${job.data.teamKey} already runs ${limit} run(s); trying again in ${teamRetryMs} ms`,
        );
        await job.moveToDelayed(Date.now() + teamRetryMs, token);
        throw new DelayedError();
      }
      // Enqueue -> start, once per run: later attempts waited for a retry backoff, not for a slot.
      if (job.attemptsMade === 0)
        options.metrics?.queueWait(queueOf('training-run'), Math.max(0, Date.now() - job.timestamp) / 1000);
      if (job.id) activeRuns.set(job.id, job.data.runId);
      const run = () => processor(job, token, signal);
      return (limit ? teams.hold(job.data.teamKey, place, run) : run()).finally(() => {
        if (job.id) {
          activeRuns.delete(job.id);
          stopping.delete(job.id);
        }
      });
    },
    {
      connection: options.connection,
      prefix,
      concurrency: slots.size,
      autorun: false,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      maxStalledCount: options.maxStalledCount ?? 1,
    },
  );
  worker.on('error', (error) => log(`worker error: ${error.message}`));
  worker.on('stalled', (jobId) => {
    options.metrics?.trainerFailure('lost_worker');
    log(`job ${jobId} stalled (its worker stopped answering); back to the queue`);
  });
  // A lost lock means the job is being (or will be) recovered elsewhere: stop this copy of the run.
  worker.on('lockRenewalFailed', (jobIds) => {
    for (const jobId of jobIds) {
      options.metrics?.trainerFailure('lock_lost');
      log(`job ${jobId}: lost its lock; stopping the trainer`);
      worker.cancelJob(jobId, LOCK_LOST_REASON);
    }
  });

  const stopCancelled = (jobId: string) => {
    if (stopping.has(jobId)) return;
    stopping.add(jobId);
    log(`job ${jobId}: cancellation received; stopping the trainer`);
    worker.cancelJob(jobId, USER_CANCEL_REASON);
  };
  const unsubscribe = await cancellations.subscribe((ids) => {
    for (const id of ids) {
      for (const [jobId, runId] of activeRuns) {
        if (jobId === id || runId === id) stopCancelled(jobId);
      }
    }
  });

  // The publish is the fast path; the stored set is the record. Checking it while runs are active
  // makes a cancel durable: one sent while the subscriber was away still stops the trainer.
  const cancelPoll = setInterval(() => {
    for (const jobId of [...activeRuns.keys()]) {
      cancellations.isCancelled(jobId).then(
        (cancelled) => {
          if (cancelled && activeRuns.has(jobId)) stopCancelled(jobId);
        },
        (error: unknown) =>
          log(
            `job ${jobId}: could not read the stored cancellations (${String(error)}); checking again later`,
          ),
      );
    }
  }, options.cancelPollMs ?? DEFAULT_CANCEL_POLL_MS);
  cancelPoll.unref();

  void worker.run().catch((error: unknown) => log(`worker stopped: ${String(error)}`));
  await worker.waitUntilReady();
  log(
    `worker on ${prefix}:${queueOf('training-run')} with ${describeSlots(slots.layout)}, concurrency ${slots.size}`,
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      unsubscribe();
      clearInterval(cancelPoll);
      const done = worker.close();
      worker.cancelAllJobs(SHUTDOWN_REASON);
      await done;
      await cancellations.close();
      teams.close();
    })();
    return closing;
  };
  return { worker, slots, cancellations, close };
}
