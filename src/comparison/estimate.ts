/**
 * Device time from measured runs: wall-clock seconds per training step of the same model and
 * method (evaluation included, as the trainer measures it), from this workspace's runs when it has
 * any and from every workspace's otherwise. Before anything is measured the estimate says
 * "unknown" rather than guess.
 */

import { summaryOf } from '../analysis/run-summary';
import { formatSeconds } from '../format/units';
import type { ComparisonJobRepository, MeasuredRun } from '../persistence/index';
import type { ComparisonRequest } from './request';

export interface StepRate {
  secondsPerStep: number;
  samples: number;
  scope: 'this workspace' | 'all workspaces';
}

/** Method name to its measured rate; methods never measured on the model are absent. */
export type StepRates = Map<string, StepRate>;

const MEASURED_RUNS_READ = 300;

/** The measured runs step rates are computed from (one read serves every model). */
export function recentMeasurements(
  jobs: Pick<ComparisonJobRepository, 'recentMeasuredRuns'>,
): Promise<MeasuredRun[]> {
  return jobs.recentMeasuredRuns(MEASURED_RUNS_READ);
}

export function stepRatesFor(measured: readonly MeasuredRun[], teamKey: string, model: string): StepRates {
  const own = new Map<string, number[]>();
  const all = new Map<string, number[]>();
  for (const { run, teamId, request } of measured) {
    const summary = summaryOf(run);
    const steps = summary?.train_curve.at(-1)?.step;
    if (!summary || !steps || (request as Partial<ComparisonRequest> | null)?.model !== model) continue;
    const perStep = summary.wall_time_s / steps;
    if (!Number.isFinite(perStep) || perStep < 0) continue;
    all.set(run.method, [...(all.get(run.method) ?? []), perStep]);
    if (teamId === teamKey) own.set(run.method, [...(own.get(run.method) ?? []), perStep]);
  }
  const rates: StepRates = new Map();
  for (const [method, samples] of all) {
    const mine = own.get(method);
    const used = mine?.length ? mine : samples;
    rates.set(method, {
      secondsPerStep: used.reduce((a, b) => a + b, 0) / used.length,
      samples: used.length,
      scope: mine?.length ? 'this workspace' : 'all workspaces',
    });
  }
  return rates;
}

/** Devices a run holds: its GPUs, or one CPU worker slot. */
export const devicesOf = (request: Pick<ComparisonRequest, 'gpus'>): number => Math.max(1, request.gpus);

/** Estimated device-hours of one run of `method`, or undefined when the method was never measured. */
export function runDeviceHours(
  rates: StepRates,
  method: string,
  request: Pick<ComparisonRequest, 'maxSteps' | 'gpus'>,
): number | undefined {
  const rate = rates.get(method);
  return rate === undefined
    ? undefined
    : (rate.secondsPerStep * request.maxSteps * devicesOf(request)) / 3600;
}

/** The line posted with a queued comparison. */
export function describeEstimate(
  request: ComparisonRequest,
  rates: StepRates,
  runsPerMethod: number[],
): string {
  const parts: string[] = [];
  let total = 0;
  for (const [i, method] of request.methods.entries()) {
    const rate = rates.get(method);
    if (!rate) {
      return `Estimated device time: unknown, no measured ${method} run of ${request.model} yet; the progress message estimates it from the job's first measured steps.`;
    }
    const seconds = rate.secondsPerStep * request.maxSteps;
    parts.push(`${method} ~${formatSeconds(seconds)} per run (${rate.samples} measured in ${rate.scope})`);
    total += seconds * devicesOf(request) * (runsPerMethod[i] ?? 0);
  }
  return `Estimated device time (measured): ${parts.join(', ')}; about ${formatSeconds(total)} of device time in all.`;
}
