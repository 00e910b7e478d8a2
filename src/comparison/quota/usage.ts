/**
 * A team's use of the workers this month: device-hours measured by finished runs (the trainer's
 * wall time, or start to end for runs that failed or were cancelled, times the devices held), and
 * device-hours reserved by runs still queued or running (estimated from measured step rates).
 */

import { summaryOf } from '../../analysis/run-summary';
import type { ComparisonJobRecord } from '../../persistence/index';
import { devicesOf, runDeviceHours, type StepRates } from '../estimate';
import type { ComparisonPlan } from '../plan';
import type { ComparisonRequest } from '../request';

export interface TeamUsage {
  /** Device-hours of runs that ended this month. */
  usedHours: number;
  /** Estimated device-hours still to come from queued and running runs. */
  reservedHours: number;
  /** Queued or running runs whose method was never measured on their model. */
  unestimatedRuns: number;
  activeRuns: number;
  queuedRuns: number;
}

/** The first instant of the calendar month (UTC) that holds `now`. */
export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** The planned runs of a staged job that no stage has added yet. */
function laterRuns(job: ComparisonJobRecord): { method: string }[] {
  const upcoming = (job.plan as Partial<ComparisonPlan> | null)?.upcoming ?? [];
  const added = new Map<string, number>();
  for (const run of job.runs) {
    const key = `${run.task}\u0000${run.method}\u0000${run.seed}`;
    added.set(key, (added.get(key) ?? 0) + 1);
  }
  const planned = new Map<string, number>();
  for (const run of (job.plan as Partial<ComparisonPlan> | null)?.runs ?? []) {
    const key = `${run.task}\u0000${run.method}\u0000${run.seed}`;
    planned.set(key, (planned.get(key) ?? 0) + 1);
  }
  return upcoming.filter((slot) => {
    const key = `${slot.task}\u0000${slot.method}\u0000${slot.seed}`;
    // Runs beyond the first stage's at this slot were added by a later stage and stand for it.
    const extra = (added.get(key) ?? 0) - (planned.get(key) ?? 0);
    if (extra > 0) {
      added.set(key, (added.get(key) ?? 0) - 1);
      return false;
    }
    return true;
  });
}

export function teamUsage(
  jobs: readonly ComparisonJobRecord[],
  ratesByModel: ReadonlyMap<string, StepRates>,
  now: Date,
): TeamUsage {
  const since = monthStart(now).getTime();
  const usage: TeamUsage = {
    usedHours: 0,
    reservedHours: 0,
    unestimatedRuns: 0,
    activeRuns: 0,
    queuedRuns: 0,
  };
  for (const job of jobs) {
    const request = job.request as ComparisonRequest;
    const devices = devicesOf(request);
    if (job.state === 'queued' || job.state === 'running') {
      // Runs later stages may still add are reserved too: a staged plan counts its whole total.
      const rates = ratesByModel.get(request.model) ?? new Map();
      for (const slot of laterRuns(job)) {
        const estimate = runDeviceHours(rates, slot.method, request);
        if (estimate === undefined) usage.unestimatedRuns++;
        else usage.reservedHours += estimate;
      }
    }
    for (const run of job.runs) {
      if (run.state === 'queued' || run.state === 'running') {
        if (run.state === 'running') usage.activeRuns++;
        else usage.queuedRuns++;
        const estimate = runDeviceHours(ratesByModel.get(request.model) ?? new Map(), run.method, request);
        if (estimate === undefined) {
          usage.unestimatedRuns++;
          continue;
        }
        const elapsed =
          run.state === 'running' && run.startedAt
            ? ((now.getTime() - run.startedAt.getTime()) / 3_600_000) * devices
            : 0;
        usage.usedHours += elapsed;
        usage.reservedHours += Math.max(0, estimate - elapsed);
        continue;
      }
      if (!run.finishedAt || run.finishedAt.getTime() < since) continue;
      const summary = summaryOf(run);
      if (summary) usage.usedHours += summary.device_hours ?? (summary.wall_time_s / 3600) * devices;
      else if (run.startedAt)
        usage.usedHours += ((run.finishedAt.getTime() - run.startedAt.getTime()) / 3_600_000) * devices;
    }
  }
  return usage;
}
