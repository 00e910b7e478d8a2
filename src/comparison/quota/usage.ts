/**
 * A team's use of the workers this month: device-hours measured by finished runs (the trainer's
 * wall time, or start to end for runs that failed or were cancelled, times the devices held), and
 * device-hours reserved by runs still queued or running (estimated from measured step rates).
 */

import { summaryOf } from '../../analysis/run-summary';
import type { ComparisonJobRecord } from '../../persistence/index';
import { devicesOf, runDeviceHours, type StepRates } from '../estimate';
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
