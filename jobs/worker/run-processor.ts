/**
 * The processor for `training-run` jobs: checks for a cancellation, leases GPU slots, runs the
 * trainer, forwards progress, and turns the outcome into a result or an error BullMQ understands
 * (UnrecoverableError for deterministic failures, a plain Error for crashes worth retrying).
 */
import path from 'node:path';
import { UnrecoverableError, WaitingError } from 'bullmq';
import type { ModelPolicy } from '../../src/comparison/model-policy';
import type { RunProgress, TrainingRunPayload, TrainingRunResult } from '../definitions';
import type { WorkerMetrics } from '../job-metrics';
import type { ObjectStore } from '../storage/object-store';
import { readSummary, runTrainer, type TrainerOutcome } from '../trainer-process';
import { parseRunConfig } from '../trainer-protocol';
import { formatRunFailure, type RunFailure, UNRECOVERABLE_KINDS } from './run-failure';
import { RunProgressReporter } from './run-progress';
import type { SlotLease, SlotPool } from './slots';
import { pendingPublish, publishRun, StagingError, stageInputs } from './staging';

/** Abort reason used when the worker stops: the run goes back to the queue for another worker. */
export const SHUTDOWN_REASON = 'worker shutting down';
/** Abort reason used when this worker lost the job's lock: the job is no longer this worker's to finish. */
export const LOCK_LOST_REASON = 'job lock lost';

/** The part of a BullMQ job the processor uses. */
export interface RunJob {
  id?: string;
  data: TrainingRunPayload;
  attemptsMade: number;
  updateProgress(progress: RunProgress): Promise<void>;
  moveToWait(token?: string): Promise<number>;
}

export interface RunProcessorDependencies {
  artifactDir: string;
  slots: SlotPool;
  cancellations: { isCancelled(jobId: string): Promise<boolean> };
  python?: string;
  trainerCwd?: string;
  trainerPath?: string;
  trainerEnv?: Record<string, string>;
  /** Checked again before every run (a queued job names a model; this worker decides where it is). */
  models?: ModelPolicy;
  graceMs?: number;
  progressIntervalMs?: number;
  /**
   * A bucket shared by every worker: datasets and skill adapters the run names there are fetched
   * into `cacheDir` first, and the finished run is uploaded (full weights only when asked).
   */
  storage?: RunStorage;
  /** Counts each failed or cancelled attempt by kind. */
  metrics?: Pick<WorkerMetrics, 'trainerFailure'>;
  log?: (message: string) => void;
}

export interface RunStorage {
  store: ObjectStore;
  cacheDir: string;
  uploadFullWeights: boolean;
}

export type RunProcessor = (job: RunJob, token?: string, signal?: AbortSignal) => Promise<TrainingRunResult>;

export function createRunProcessor(deps: RunProcessorDependencies): RunProcessor {
  const log = deps.log ?? (() => {});
  // Three declared parameters: BullMQ passes the abort signal only to processors that take one.
  return async function processTrainingRun(job: RunJob, token?: string, signal?: AbortSignal) {
    const { comparisonId, runId } = job.data;
    const attempt = job.attemptsMade + 1;
    const fail = (failure: Omit<RunFailure, 'attempt' | 'stderrTail'> & { stderrTail?: string[] }) => {
      deps.metrics?.trainerFailure(failure.kind === 'unknown' ? 'crash' : failure.kind);
      return formatRunFailure({ stderrTail: [], ...failure, attempt });
    };
    const badConfig = (message: string) =>
      new UnrecoverableError(
        fail({ kind: 'bad_config', message, step: null, batchSize: null, exitCode: null, signal: null }),
      );

    if (!isSafeId(comparisonId) || !isSafeId(runId)) {
      throw badConfig(
        `comparisonId and runId must be plain ids (letters, digits, . _ -), got "${comparisonId}/${runId}"`,
      );
    }
    const config = parseRunConfig(job.data.config);
    if (!config.success) {
      const issue = config.error.issues[0];
      throw badConfig(
        `the run's config is not valid: ${issue?.path.join('.') || 'config'}: ${issue?.message}`,
      );
    }
    if (deps.models) {
      const located = await deps.models.locate(config.data.model);
      if (!located.ok) throw badConfig(located.error);
      if (located.value.kind === 'local') config.data.model = located.value.path;
    }
    const staged = async (what: () => Promise<void>) => {
      try {
        await what();
      } catch (error) {
        if (!(error instanceof StagingError)) throw error;
        const failure = { message: error.message, step: null, batchSize: null, exitCode: null, signal: null };
        if (error.kind === 'bad_data') throw new UnrecoverableError(fail({ kind: 'bad_data', ...failure }));
        throw new Error(fail({ kind: 'storage', ...failure }));
      }
    };
    // The same directory on every attempt: a retry (here or on a worker sharing the artifact
    // directory) finds the checkpoint an interrupted attempt left and resumes from it.
    const outputDir = path.resolve(deps.artifactDir, comparisonId, runId);
    const cancelled: TrainingRunResult = { runId, status: 'cancelled', outputDir };
    const label = `run ${runId} (job ${job.id}, attempt ${attempt})`;
    const storage = deps.storage;
    const series: unknown[] = [];
    const publish = async (summary: TrainingRunResult['summary']): Promise<TrainingRunResult> => {
      if (!storage) return { runId, status: 'completed', summary, outputDir };
      let ref = outputDir;
      await staged(async () => {
        ref = await publishRun({
          store: storage.store,
          comparisonId,
          runId,
          outputDir,
          fullWeights: storage.uploadFullWeights,
          ...(series.length ? { series } : {}),
          signal,
          log: (message) => log(`${label}: ${message}`),
        });
      });
      return { runId, status: 'completed', summary, outputDir: ref };
    };
    if (storage && (await pendingPublish(outputDir))) {
      // An earlier attempt trained this run and could not upload it: upload, do not train again.
      const summary = await readSummary(undefined, outputDir, (message) => log(`${label}: ${message}`));
      if (summary) {
        log(`${label}: finished earlier; uploading its results`);
        return await publish(summary);
      }
    }
    await staged(() =>
      stageInputs(config.data, storage?.store, storage?.cacheDir ?? deps.artifactDir, signal),
    );

    // The queue job id, not the run id: a retried run gets a new queue job id and must not inherit
    // the cancellation of its earlier attempt.
    if (await isCancelled(deps, job.id ?? runId)) {
      log(`${label}: cancelled before it started`);
      return cancelled;
    }

    const needed = deps.slots.slotsFor('gpus' in config.data ? config.data.gpus : undefined);
    if (needed > deps.slots.size) {
      throw new UnrecoverableError(
        fail({
          kind: 'unsupported',
          message: `the run asks for ${needed} GPUs but this worker has ${deps.slots.size}`,
          step: null,
          batchSize: null,
          exitCode: null,
          signal: null,
        }),
      );
    }
    let lease: SlotLease;
    try {
      lease = await deps.slots.acquire(needed, signal);
    } catch (error) {
      if (!signal?.aborted) throw error;
      return await stopped(job, token, signal, cancelled, label, log, deps.metrics);
    }

    const reporter = new RunProgressReporter({
      send: (progress) => job.updateProgress(progress),
      intervalMs: deps.progressIntervalMs,
      log: (message) => log(`${label}: ${message}`),
    });
    let outcome: TrainerOutcome;
    try {
      log(
        `${label}: starting (${lease.gpus.length > 0 ? `GPU ${lease.gpus.join(',')}` : 'CPU'}) -> ${outputDir}`,
      );
      outcome = await runTrainer({
        config: config.data,
        outputDir,
        python: deps.python,
        cwd: deps.trainerCwd,
        trainerPath: deps.trainerPath,
        env: { ...deps.trainerEnv, ...lease.env },
        signal,
        graceMs: deps.graceMs,
        onEvent: (event) => {
          if (event.event === 'resumed') log(`${label}: resumed from the checkpoint at step ${event.step}`);
          if (storage && (event.event === 'step' || event.event === 'eval') && series.length < 100_000) {
            series.push(event);
          }
          reporter.onEvent(event);
        },
        log: (message) => log(`${label}: ${message}`),
      });
    } finally {
      lease.release();
      await reporter.flush();
    }

    switch (outcome.kind) {
      case 'finished':
        log(`${label}: finished`);
        return await publish(outcome.summary);
      case 'cancelled':
        return await stopped(job, token, signal, cancelled, label, log, deps.metrics);
      case 'failed': {
        const { failure, exitCode, signal: killedBy, stderrTail } = outcome;
        const message = fail({
          kind: failure.kind,
          message: failure.message,
          step: failure.step ?? null,
          batchSize: failure.batchSize ?? null,
          exitCode,
          signal: killedBy,
          stderrTail,
        });
        log(`${label}: failed (${failure.kind}): ${failure.message}`);
        if (exitCode === 2 || UNRECOVERABLE_KINDS.has(failure.kind)) throw new UnrecoverableError(message);
        throw new Error(message);
      }
      case 'crashed': {
        const { exitCode, signal: killedBy, stderrTail } = outcome;
        log(`${label}: crashed: ${outcome.message}`);
        throw new Error(
          fail({
            kind: 'crash',
            message: outcome.message,
            step: null,
            batchSize: null,
            exitCode,
            signal: killedBy,
            stderrTail,
          }),
        );
      }
    }
  };
}

/**
 * Cancelled by a user: the run ends as `cancelled`. Stopped by a worker shutdown: back to the queue.
 * Lock lost: the job already belongs to the stalled-job recovery, so only the trainer is stopped.
 */
async function stopped(
  job: RunJob,
  token: string | undefined,
  signal: AbortSignal | undefined,
  cancelled: TrainingRunResult,
  label: string,
  log: (message: string) => void,
  metrics: RunProcessorDependencies['metrics'],
): Promise<TrainingRunResult> {
  if (signal?.reason === SHUTDOWN_REASON) {
    log(`${label}: stopped by the worker shutting down; back to the queue`);
    await job.moveToWait(token);
    throw new WaitingError();
  }
  if (signal?.reason === LOCK_LOST_REASON) {
    log(`${label}: stopped because this worker lost the job's lock; it runs again from the queue`);
    throw new Error('this worker lost the job (its lock expired) and stopped its trainer');
  }
  log(`${label}: cancelled`);
  metrics?.trainerFailure('cancelled');
  return cancelled;
}

async function isCancelled(deps: RunProcessorDependencies, id: string | undefined): Promise<boolean> {
  return id !== undefined && (await deps.cancellations.isCancelled(id));
}

function isSafeId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9._-]{1,200}$/.test(id) && id !== '.' && id !== '..';
}
