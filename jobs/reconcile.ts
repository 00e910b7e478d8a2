/**
 * Reconciliation of the database with the queue: every job the database believes queued or
 * running is checked against BullMQ, on start and periodically. A run the queue finished while
 * nobody listened is recorded; a run the queue no longer has (Redis restarted without persistence,
 * keys deleted) is failed with a notice that says so; a job whose runs have all ended (its parent
 * step failed, say while the database was down) is closed and announced, once.
 */
import type { Queue } from 'bullmq';
import type { RunFailureInfo } from '../src/comparison/failures';
import type { ComparisonTracker } from '../src/comparison/tracker';
import type { ComparisonJobRecord } from '../src/persistence/index';
import type { TrainingRunPayload, TrainingRunResult } from './definitions';
import { parseRunFailure } from './worker/run-failure';

const OPEN = new Set(['queued', 'running']);
/** A run changed more recently than this may still be on its way onto the queue. */
export const DEFAULT_RECONCILE_GRACE_MS = 120_000;
const OPEN_JOBS_READ = 1000;

export const LOST_RUN: RunFailureInfo = {
  kind: 'lost',
  message:
    'the queue no longer has this run (Redis restarted without persistence, or its keys were deleted); nothing of it was kept. /faceoff retry runs it again',
};

export interface ReconcileDeps {
  jobs: {
    listOpen(limit: number): Promise<ComparisonJobRecord[]>;
    listUnannounced?(limit: number): Promise<ComparisonJobRecord[]>;
    getById(id: string): Promise<ComparisonJobRecord | null>;
  };
  queue: Pick<Queue<TrainingRunPayload, TrainingRunResult>, 'getJobState' | 'getJob'>;
  tracker: Pick<ComparisonTracker, 'runCompleted' | 'runFailed' | 'comparisonEnded'> &
    Partial<Pick<ComparisonTracker, 'announceOnce'>>;
  now?: () => Date;
  graceMs?: number;
  log?: (message: string) => void;
}

export interface ReconcileReport {
  checked: number;
  recorded: number;
  lost: number;
  closed: number;
  /** Ended jobs whose announcement had failed, announced now. */
  announced?: number;
}

export async function reconcileOpenJobs(deps: ReconcileDeps): Promise<ReconcileReport> {
  const now = (deps.now ?? (() => new Date()))().getTime();
  const grace = deps.graceMs ?? DEFAULT_RECONCILE_GRACE_MS;
  const log = deps.log ?? (() => {});
  const report: ReconcileReport = { checked: 0, recorded: 0, lost: 0, closed: 0 };
  for (const job of await deps.jobs.listOpen(OPEN_JOBS_READ)) {
    report.checked += 1;
    for (const run of job.runs) {
      if (!OPEN.has(run.state) || now - run.updatedAt.getTime() < grace) continue;
      const queueJobId = run.queueJobId ?? run.id;
      const state = await deps.queue.getJobState(queueJobId);
      if (state === 'completed') {
        const queued = await deps.queue.getJob(queueJobId);
        if (queued?.returnvalue) {
          await deps.tracker.runCompleted(run.id, queued.returnvalue);
          report.recorded += 1;
        }
      } else if (state === 'failed') {
        const queued = await deps.queue.getJob(queueJobId);
        await deps.tracker.runFailed(
          job.id,
          run.id,
          parseRunFailure(queued?.failedReason),
          false,
          queued?.attemptsMade ?? 1,
          queued?.opts.attempts ?? 1,
        );
        report.recorded += 1;
      } else if (state === 'unknown') {
        log(`reconcile: job ${job.id} run ${run.id} is not on the queue any more; failing it`);
        await deps.tracker.runFailed(job.id, run.id, LOST_RUN, false, 1, 1);
        report.lost += 1;
      }
    }
    const fresh = await deps.jobs.getById(job.id);
    const stale = fresh && now - fresh.createdAt.getTime() >= grace;
    if (fresh && stale && OPEN.has(fresh.state) && fresh.runs.every((r) => !OPEN.has(r.state))) {
      log(`reconcile: every run of job ${job.id} has ended but the job was open; closing it`);
      await deps.tracker.comparisonEnded(job.id, { completed: {}, failed: {} });
      report.closed += 1;
    }
  }
  if (deps.jobs.listUnannounced && deps.tracker.announceOnce) {
    for (const job of await deps.jobs.listUnannounced(OPEN_JOBS_READ)) {
      if (!job.finishedAt || now - job.finishedAt.getTime() < grace) continue;
      if (await deps.tracker.announceOnce(job)) report.announced = (report.announced ?? 0) + 1;
    }
  }
  return report;
}
