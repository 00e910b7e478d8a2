/**
 * The article's hybrid plan, measured: LoRA first; its primary test metric (mean over seeds with
 * a 95% interval) is checked against the target the team needs; full fine-tuning is trained only
 * when LoRA misses it, and the final word weighs the measured gap against its measured cost.
 */
import { analyzeComparison } from '../analysis/comparison-analysis';
import { ratesFor, runHours } from '../analysis/measured-cost';
import { type RunLike, type RunSummary, summaryOf } from '../analysis/run-summary';
import type { SampleSummary } from '../analysis/statistics';
import type { MetricComparison } from '../analysis/task-analysis';
import { formatDifference, formatDollars, formatEstimate } from '../analysis/uncertainty-format';
import type { Reply } from '../chat/replies';
import { ARTICLE_COST_INPUTS } from '../cost/inputs';
import { devicesOf } from './estimate';
import type { ComparisonPlan } from './plan';
import type { Method } from './request';
import type { StageInput } from './stages';

/**
 * Whether a method's measured score clears the target with its whole 95% interval. Scores and
 * losses are never negative, so an interval reaching below zero counts from zero.
 */
export function clearsTarget(summary: SampleSummary, target: number, higherIsBetter: boolean): boolean {
  if (!summary.ci) return false;
  return higherIsBetter ? Math.max(0, summary.ci.low) >= target : summary.ci.high <= target;
}

const score = (summary: SampleSummary) =>
  summary.ci
    ? `${formatEstimate(summary)} (95% interval ${summary.ci.low.toFixed(3)} to ${summary.ci.high.toFixed(3)}, ${summary.n} seeds, measured)`
    : `${formatEstimate(summary)} (measured)`;

function targetWords(summary: SampleSummary, target: number, higherIsBetter: boolean): string {
  const side = higherIsBetter ? 'above' : 'below';
  if (!summary.ci) return `no interval, so the target ${target} cannot be confirmed`;
  if (clearsTarget(summary, target, higherIsBetter))
    return `the whole interval is ${side} the target ${target}: met`;
  const mean = summary.mean ?? Number.NaN;
  const meanSide = higherIsBetter ? mean >= target : mean <= target;
  return meanSide
    ? `the mean is ${side} the target ${target} but the interval reaches past it: not confirmed`
    : `short of the target ${target}: missed`;
}

const hoursOf = (runs: readonly RunLike[], method: string) =>
  runs
    .filter((r) => r.method === method)
    .map(summaryOf)
    .filter((s): s is RunSummary => !!s);

function hoursLabel(summaries: readonly RunSummary[]): string {
  return summaries.some((s) => runHours(s).kind === 'GPU-hours') ? 'GPU-hours' : 'device-hours (CPU)';
}

const sumHours = (summaries: readonly RunSummary[]) =>
  summaries.reduce((total, s) => total + runHours(s).hours, 0);

const hours = (value: number) => (value >= 10 ? value.toFixed(1) : value.toPrecision(3));

/** The primary metric per task of the given runs. */
function primaries(runs: readonly RunLike[]): { task: string; primary: MetricComparison }[] {
  return analyzeComparison(runs).tasks.flatMap((t) =>
    t.primary ? [{ task: t.task, primary: t.primary }] : [],
  );
}

/**
 * Device-hours the skipped runs would have taken: from this workspace's measured step time of the
 * method when there is one, else LoRA's measured hours scaled by the cost model's article ratio.
 */
function skippedHours(
  input: StageInput,
  skipped: readonly Method[],
  loraRuns: readonly RunSummary[],
): { hours: number; how: string } {
  const plan = input.plan as ComparisonPlan;
  const count = (plan.upcoming ?? []).filter((r) => skipped.includes(r.method)).length;
  const rate = skipped.length === 1 ? input.rates?.get(skipped[0] as string) : undefined;
  if (rate) {
    const perRun = (rate.secondsPerStep * input.request.maxSteps * devicesOf(input.request)) / 3600;
    return {
      hours: perRun * count,
      how: `${count} runs x ${hours(perRun)} h each, estimated from ${rate.samples} measured ${skipped.join(', ')} run(s) of ${input.request.model} (${rate.scope})`,
    };
  }
  const ratio = ARTICLE_COST_INPUTS.full_gpu_hours / ARTICLE_COST_INPUTS.lora_gpu_hours;
  const perLora = loraRuns.length ? sumHours(loraRuns) / loraRuns.length : 0;
  return {
    hours: perLora * ratio * count,
    how: `${count} runs x LoRA's measured ${hours(perLora)} h per run x ${ratio.toFixed(1)} (the cost model's article ratio of full to LoRA GPU-hours: computed, not measured; no ${skipped.join(', ')} run of ${input.request.model} was measured yet)`,
  };
}

/** Stage 1's check: does the first method clear the target on every task? */
export function hybridGate(
  input: StageInput,
  target: number,
  first: Method,
  later: readonly Method[],
): { met: boolean; reply: Reply } {
  const firstRuns = input.runs.filter((r) => r.method === first);
  const tasks = primaries(firstRuns);
  const met =
    tasks.length > 0 &&
    tasks.every((t) => clearsTarget(t.primary.lora, target, t.primary.metric.higherIsBetter));
  const lines = tasks.map(
    (t) =>
      `- ${t.task}, ${t.primary.metric.label} on the test split: ${first} ${score(t.primary.lora)}; ${targetWords(t.primary.lora, target, t.primary.metric.higherIsBetter)}.`,
  );
  if (!tasks.length)
    lines.push(`- no ${first} run finished with a test score, so the target cannot be checked.`);
  const summaries = hoursOf(input.runs, first);
  const spent = `${first} used ${hours(sumHours(summaries))} ${hoursLabel(summaries)} (measured, ${summaries.length} runs).`;
  if (!met)
    return {
      met,
      reply: {
        text: [
          `*Stage 1 of the plan:* ${first} did not reach the target ${target}.`,
          ...lines,
          spent,
          `*Stage 2:* training ${later.join(', ')} under identical controls (same data, seeds, steps and learning-rate multipliers as stage 1).`,
        ].join('\n'),
      },
    };
  const saved = skippedHours(input, [...later], summaries);
  return {
    met,
    reply: {
      text: [
        `*Plan ${input.id ? `${input.id} ` : ''}finished after stage 1: ${first === 'lora' ? 'LoRA' : first} meets your target ${target}.*`,
        ...lines,
        spent,
        `Not training ${later.join(', ')} saved ~${hours(saved.hours)} ${hoursLabel(summaries)}: ${saved.how}.`,
        `*Recommendation:* ${first === 'lora' ? 'LoRA' : first}: it already delivers what you need; full fine-tuning was skipped.`,
      ].join('\n'),
    },
  };
}

/** Stage 2's outcome: both methods measured; the gap, its cost and the recommendation. */
export function hybridVerdict(input: StageInput, target: number): Reply {
  const tasks = primaries(input.runs);
  const lora = hoursOf(input.runs, 'lora');
  const full = hoursOf(input.runs, 'full');
  const kind = hoursLabel([...lora, ...full]);
  const loraHours = sumHours(lora);
  const fullHours = sumHours(full);
  const lines = tasks.map((t) => {
    const { primary } = t;
    const higher = primary.metric.higherIsBetter;
    return [
      `- ${t.task}, ${primary.metric.label} on the test split: LoRA ${score(primary.lora)}; full fine-tuning ${score(primary.full)}.`,
      `  Gap (full - LoRA, paired by seed): ${formatDifference(primary.difference)} (${primary.verdict.note}).`,
      `  Target ${target}: LoRA ${targetWords(primary.lora, target, higher)}; full fine-tuning ${targetWords(primary.full, target, higher)}.`,
    ].join('\n');
  });
  const fullMeets =
    tasks.length > 0 &&
    tasks.every((t) => clearsTarget(t.primary.full, target, t.primary.metric.higherIsBetter));
  const loraMeets =
    tasks.length > 0 &&
    tasks.every((t) => clearsTarget(t.primary.lora, target, t.primary.metric.higherIsBetter));
  const fullAhead = tasks.length > 0 && tasks.every((t) => t.primary.verdict.outcome === 'full_better');
  const recommendation = loraMeets
    ? 'LoRA: it meets the target, and full fine-tuning costs more.'
    : fullMeets
      ? 'full fine-tuning: it meets the target and LoRA does not; the cost above buys that gap.'
      : fullAhead
        ? 'full fine-tuning if the gap matters: neither method met the target, and full fine-tuning is measurably better; a larger model or more data may be needed.'
        : 'LoRA: neither method met the target and the runs cannot tell them apart, so the cheaper method; a larger model or more data may be needed.';
  const rates = ratesFor(input.request.rates);
  const loraUsd = loraHours * rates.lora;
  const fullUsd = fullHours * rates.full;
  return {
    text: [
      `*Plan ${input.id ? `${input.id} ` : ''}finished after stage 2: LoRA missed the target ${target}, full fine-tuning was trained.*`,
      ...lines,
      `Cost (all runs, sweeps included): LoRA ${hours(loraHours)} and full fine-tuning ${hours(fullHours)} ${kind} (measured); ` +
        `${formatDollars(loraUsd)} and ${formatDollars(fullUsd)} at $${rates.lora}/h and $${rates.full}/h (${rates.source}): ` +
        `full fine-tuning cost ${formatDollars(Math.abs(fullUsd - loraUsd))} ${fullUsd >= loraUsd ? 'more' : 'less'} (computed).`,
      `*Recommendation:* ${recommendation}`,
    ].join('\n'),
  };
}
