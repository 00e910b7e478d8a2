/**
 * Whether a comparison fits the team's quota before anything is queued: runs per comparison,
 * steps per run, and the month's GPU-hour budget (estimated from measured step rates). A refusal
 * says what the limit is and what would fit ("try seeds=2").
 */
import { runDeviceHours, type StepRates } from '../estimate';
import type { ComparisonRequest } from '../request';
import { formatHours } from './quota-format';
import { QUOTA_VARIABLES, type QuotaSettings } from './quota-settings';
import { limitFor } from './team-limits';
import type { TeamUsage } from './usage';

export type QuotaVerdict =
  | { ok: true; estimatedHours: number | undefined; note?: string }
  | { ok: false; reason: string };

export interface QuotaCheck {
  team: string;
  request: ComparisonRequest;
  runs: readonly { method: string }[];
  settings: QuotaSettings;
  usage: TeamUsage;
  rates: StepRates;
  /** The runs a changed request would plan, to suggest what fits; absent: no suggestions (a retry). */
  replan?: (request: ComparisonRequest) => readonly { method: string }[];
}

/** Estimated device-hours of the runs, or undefined when a method was never measured on the model. */
export function estimateHours(
  runs: readonly { method: string }[],
  rates: StepRates,
  request: Pick<ComparisonRequest, 'maxSteps' | 'gpus'>,
): number | undefined {
  let total = 0;
  for (const run of runs) {
    const hours = runDeviceHours(rates, run.method, request);
    if (hours === undefined) return undefined;
    total += hours;
  }
  return total;
}

/** Smaller versions of the request, most useful first: fewer seeds, no sweep, fewer steps. */
function alternatives(request: ComparisonRequest): { change: string; request: ComparisonRequest }[] {
  const out: { change: string; request: ComparisonRequest }[] = [];
  for (let seeds = request.seeds - 1; seeds >= 1; seeds--)
    out.push({ change: `seeds=${seeds}`, request: { ...request, seeds } });
  if (request.lrSweep) out.push({ change: 'lr_sweep=off', request: { ...request, lrSweep: false } });
  if (request.task.kind === 'suites' && request.task.tasks.length > 1) {
    const [first] = request.task.tasks;
    if (first)
      out.push({
        change: `task=${first} (one task)`,
        request: { ...request, task: { kind: 'suites', tasks: [first] } },
      });
  }
  return out;
}

/** The largest round step count (two significant digits) for which `fits` holds, if any. */
function roundStepsThatFit(maxSteps: number, fits: (steps: number) => boolean): number | undefined {
  let low = 0;
  let high = maxSteps - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  if (low < 1) return undefined;
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(low)) - 1);
  return Math.max(1, Math.floor(low / magnitude) * magnitude);
}

function suggestion(
  request: ComparisonRequest,
  fits: ((r: ComparisonRequest) => boolean) | undefined,
  steps?: number,
): string {
  if (!fits) return '';
  const found = alternatives(request)
    .filter((a) => fits(a.request))
    .slice(0, 2)
    .map((a) => a.change);
  if (steps !== undefined) found.push(`max_steps=${steps}`);
  return found.length ? `: try ${found.join(', or ')}` : '';
}

export function checkQuota(check: QuotaCheck): QuotaVerdict {
  const { team, request, settings, usage, rates } = check;
  const maxSteps = limitFor(settings.stepsPerRun, team);
  if (maxSteps > 0 && request.maxSteps > maxSteps) {
    return {
      ok: false,
      reason: `max_steps: ${request.maxSteps} is over this workspace's limit of ${maxSteps} steps per run (${QUOTA_VARIABLES.stepsPerRun}): try max_steps=${maxSteps}.`,
    };
  }
  const maxRuns = limitFor(settings.runsPerComparison, team);
  if (maxRuns > 0 && check.runs.length > maxRuns) {
    const { replan } = check;
    const fits = replan && ((r: ComparisonRequest) => replan(r).length <= maxRuns);
    return {
      ok: false,
      reason: `This plans up to ${check.runs.length} runs (tasks x methods x seeds x grid points, with the runs later stages may add); this workspace allows ${maxRuns} per comparison (${QUOTA_VARIABLES.runsPerComparison})${suggestion(request, fits)}.`,
    };
  }
  const estimated = estimateHours(check.runs, rates, request);
  const budget = limitFor(settings.monthlyGpuHours, team);
  if (budget <= 0) return { ok: true, estimatedHours: estimated };
  const left = budget - usage.usedHours - usage.reservedHours;
  if (left <= 0) {
    return {
      ok: false,
      reason: `Your team has used its ${formatHours(budget)} GPU-hours for this month (${formatHours(usage.usedHours)} measured, ${formatHours(usage.reservedHours)} reserved by queued and running runs). /faceoff quota shows the details; the budget renews on the 1st (UTC).`,
    };
  }
  if (estimated === undefined) {
    return {
      ok: true,
      estimatedHours: undefined,
      note: `GPU-hour budget: ${formatHours(left)} of ${formatHours(budget)} left this month. This comparison's cost is unknown until its first runs are measured, so it was not checked against the budget.`,
    };
  }
  if (estimated > left) {
    const { replan } = check;
    const fits =
      replan &&
      ((r: ComparisonRequest) => {
        const hours = estimateHours(replan(r), rates, r);
        return hours !== undefined && hours <= left;
      });
    const steps = fits && roundStepsThatFit(request.maxSteps, (n) => fits({ ...request, maxSteps: n }));
    return {
      ok: false,
      reason: `This needs ~${formatHours(estimated)} GPU-hours (estimated from measured runs) and your team has ${formatHours(left)} left this month (budget ${formatHours(budget)}, ${QUOTA_VARIABLES.monthlyGpuHours})${suggestion(request, fits, steps)}.`,
    };
  }
  return {
    ok: true,
    estimatedHours: estimated,
    note: `GPU-hour budget: this uses ~${formatHours(estimated)} of the ${formatHours(left)} left this month.`,
  };
}
