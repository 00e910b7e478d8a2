import { type Job, Queue, QueueEvents, Worker } from 'bullmq';
import { LRUCache } from 'lru-cache';
import type { RunFailureInfo } from '../src/comparison/failures';
import type { ComparisonTracker, RunProgressReport } from '../src/comparison/tracker';
import {
  type ComparisonPayload,
  type ComparisonResult,
  queueOf,
  type TrainingRunPayload,
  type TrainingRunResult,
} from './definitions';
import { type ReconcileDeps, type ReconcileReport, reconcileOpenJobs } from './reconcile';
import type { RedisConnectionOptions } from './redis-connection';
import { batchPerKey, serialPerKey } from './serial-per-key';
import { parseRunFailure } from './worker/run-failure';

export interface ControlPlaneOptions {
  connection: RedisConnectionOptions;
  prefix: string;
  tracker: ComparisonTracker;
  /** Reconciles the database's open jobs with the queue at start and every `intervalMs` (5 min). */
  reconcile?: Pick<ReconcileDeps, 'jobs' | 'graceMs'> & { intervalMs?: number };
  log?: (message: string) => void;
}

export interface ControlPlane {
  /** Resolves once the queue listeners are connected. */
  ready(): Promise<void>;
  /** One reconciliation now (what start and the timer run); `graceMs` overrides the grace. */
  reconcileNow(graceMs?: number): Promise<ReconcileReport>;
  close(): Promise<void>;
}

const RECONCILE_INTERVAL_MS = 5 * 60_000;

/** What the control plane keeps of a run's queue job: its payload and its comparison parent. */
interface KnownRun {
  data: TrainingRunPayload;
  parent?: { id: string; queueKey: string };
}

/** The last segment of a BullMQ job key `prefix:queue:id`. */
const jobIdFromKey = (key: string) => key.slice(key.lastIndexOf(':') + 1);

/**
 * Progress reports of one run, as one: the latest report (each carries the whole progress so far)
 * with every report's new metric points, in the order they came.
 */
export function mergeProgressReports(reports: readonly RunProgressReport[]): RunProgressReport {
  if (reports.length === 1 && reports[0]) return reports[0];
  const { points: _last, ...latest } = reports.at(-1) ?? { step: 0, total: 0 };
  const points = reports.flatMap((r) => r.points ?? []);
  return points.length ? { ...latest, points } : latest;
}

/**
 * The bot side of the queue: stores what runs report as it arrives (through the tracker) and
 * processes each comparison's parent job once all its children have ended.
 */
export function startControlPlane(options: ControlPlaneOptions): ControlPlane {
  const { connection, prefix, tracker } = options;
  const log = options.log ?? (() => {});
  const runs = new Queue<TrainingRunPayload, TrainingRunResult>(queueOf('training-run'), {
    connection,
    prefix,
  });
  const events = new QueueEvents(queueOf('training-run'), { connection, prefix });
  const guard = (what: string, task: () => Promise<void>) =>
    task().catch((e: Error) => log(`control plane: ${what}: ${e.message}`));
  // One job's events are handled one after another, in the order the queue wrote them: a stalled
  // run's "back to the queue" must not land after the "active" of its restart on another worker.
  const inOrder = serialPerKey();
  // A run's payload and parent never change: read once per queue job, not at each of its events.
  const known = new LRUCache<string, KnownRun>({ max: 10_000 });
  const remember = (job: Job<TrainingRunPayload, TrainingRunResult>) => {
    const parent = job.parent?.id ? { id: job.parent.id, queueKey: job.parent.queueKey } : undefined;
    const run: KnownRun = { data: job.data, ...(parent ? { parent } : {}) };
    known.set(job.id ?? '', run);
    return run;
  };
  const knownRun = async (jobId: string) => {
    const cached = known.get(jobId);
    if (cached) return cached;
    const job = await runs.getJob(jobId);
    return job ? remember(job) : undefined;
  };
  const payloadOf = async (jobId: string) => (await knownRun(jobId))?.data;
  const comparisons = new Queue<ComparisonPayload, ComparisonResult>(queueOf('comparison'), {
    connection,
    prefix,
  });
  const comparisonsKey = `${prefix}:${queueOf('comparison')}`;
  /**
   * True when the run's comparison parent has left "waiting for children": this was its last run
   * to end, and the parent records this result itself (from its children's values, in the same
   * pass that ends the comparison), so writing it here as well would only put the same write in
   * front of the parent's. False when unsure: the result is then written here as usual.
   */
  const parentRecords = async (run: KnownRun): Promise<boolean> => {
    if (!run.parent || run.parent.queueKey !== comparisonsKey) return false;
    try {
      const state = await comparisons.getJobState(run.parent.id);
      return state !== 'waiting-children' && state !== 'unknown';
    } catch {
      return false;
    }
  };
  const completed = async (run: KnownRun, result: TrainingRunResult) => {
    if (!(await parentRecords(run))) await tracker.runCompleted(run.data.runId, result);
  };
  // Progress reports of a run still waiting their turn are written as one when it comes (one
  // update of the run, one insert of the points). Any other event of the run closes the batch.
  const progress = batchPerKey<RunProgressReport>(inOrder, (jobId, reports) =>
    guard('progress', async () => {
      const payload = await payloadOf(jobId);
      if (payload)
        await tracker.runProgress(payload.comparisonId, payload.runId, mergeProgressReports(reports));
    }),
  );
  const withJob = (
    jobId: string,
    what: string,
    use: (job: Job<TrainingRunPayload, TrainingRunResult>, run: KnownRun) => Promise<void>,
  ) => {
    progress.close(jobId);
    return inOrder(jobId, () =>
      guard(what, async () => {
        const job = await runs.getJob(jobId);
        if (!job) return;
        await use(job, remember(job));
      }),
    );
  };

  events.on('active', ({ jobId }) =>
    withJob(jobId, 'active', (job) =>
      tracker.runActive(job.data.comparisonId, job.data.runId, job.attemptsStarted || job.attemptsMade + 1),
    ),
  );
  events.on('progress', ({ jobId, data }) => void progress.add(jobId, data as RunProgressReport));
  events.on('completed', ({ jobId, returnvalue }) => {
    const result = returnvalue as unknown as TrainingRunResult | undefined;
    if (!result) {
      withJob(jobId, 'completed', async (job, run) => {
        await completed(run, job.returnvalue);
        known.delete(jobId);
      });
      return;
    }
    progress.close(jobId);
    void inOrder(jobId, () =>
      guard('completed', async () => {
        const run = await knownRun(jobId);
        if (run) await completed(run, result);
        known.delete(jobId);
      }),
    );
  });
  events.on('delayed', ({ jobId }) =>
    withJob(jobId, 'retry', async (job) => {
      if (job.attemptsMade === 0 || !job.failedReason) return;
      await tracker.runFailed(
        job.data.comparisonId,
        job.data.runId,
        parseRunFailure(job.failedReason),
        true,
        job.attemptsMade,
        job.opts.attempts ?? 1,
      );
    }),
  );
  events.on('stalled', ({ jobId }) =>
    withJob(jobId, 'stalled', (job) =>
      tracker.runFailed(
        job.data.comparisonId,
        job.data.runId,
        {
          kind: 'crash',
          message:
            'the worker running it stopped responding (lost worker); the run restarts on another worker',
        },
        true,
        job.attemptsMade,
        job.opts.attempts ?? 1,
      ),
    ),
  );
  events.on('failed', ({ jobId, failedReason }) =>
    withJob(jobId, 'failed', (job) =>
      tracker.runFailed(
        job.data.comparisonId,
        job.data.runId,
        parseRunFailure(failedReason),
        false,
        job.attemptsMade,
        job.opts.attempts ?? 1,
      ),
    ),
  );

  const parents = new Worker<ComparisonPayload, ComparisonResult>(
    queueOf('comparison'),
    async (job) => {
      // The children's results and the failures the parent was told to ignore (one round trip),
      // read while the tracker reads the comparison.
      const outcome = job.getDependencies().then(({ processed, ignored }) => {
        const completed: Record<string, TrainingRunResult> = {};
        for (const [key, value] of Object.entries(processed ?? {})) completed[jobIdFromKey(key)] = value;
        const failed: Record<string, RunFailureInfo> = {};
        for (const [key, reason] of Object.entries<string>(ignored ?? {}))
          failed[jobIdFromKey(key)] = parseRunFailure(reason);
        return { completed, failed };
      });
      await tracker.comparisonEnded(job.data.comparisonId, outcome);
      const { completed, failed } = await outcome;
      return {
        comparisonId: job.data.comparisonId,
        completed: Object.keys(completed),
        failed: Object.entries(failed).map(([runId, f]) => ({ runId, reason: f.message })),
      };
    },
    { connection, prefix, concurrency: 4 },
  );
  parents.on('failed', (job, error) =>
    log(`control plane: comparison ${job?.data.comparisonId}: ${error.message} (will retry)`),
  );
  parents.on('error', (error) => log(`control plane: ${error.message}`));
  events.on('error', (error) => log(`control plane events: ${error.message}`));

  let reconciling = false;
  const reconcile = () => {
    const settings = options.reconcile;
    if (!settings || reconciling) return;
    reconciling = true;
    reconcileOpenJobs({ jobs: settings.jobs, queue: runs, tracker, log, graceMs: settings.graceMs })
      .then((r) => {
        if (r.recorded || r.lost || r.closed || r.announced)
          log(
            `control plane: reconciled ${r.checked} open job(s): ${r.recorded} run outcome(s) recorded, ${r.lost} lost run(s) failed, ${r.closed} job(s) closed, ${r.announced ?? 0} announcement(s) posted late`,
          );
      })
      .catch((e: Error) => log(`control plane: reconciliation: ${e.message}; trying again later`))
      .finally(() => {
        reconciling = false;
      });
  };
  const timer = options.reconcile
    ? setInterval(reconcile, options.reconcile.intervalMs ?? RECONCILE_INTERVAL_MS)
    : undefined;
  timer?.unref();

  return {
    ready: async () => {
      await Promise.all([
        events.waitUntilReady(),
        parents.waitUntilReady(),
        runs.waitUntilReady(),
        comparisons.waitUntilReady(),
      ]);
      reconcile();
    },
    reconcileNow: (graceMs) => {
      if (!options.reconcile) return Promise.resolve({ checked: 0, recorded: 0, lost: 0, closed: 0 });
      return reconcileOpenJobs({
        jobs: options.reconcile.jobs,
        queue: runs,
        tracker,
        log,
        graceMs: graceMs ?? options.reconcile.graceMs,
      });
    },
    close: async () => {
      clearInterval(timer);
      await Promise.allSettled([parents.close(), events.close(), runs.close(), comparisons.close()]);
    },
  };
}
