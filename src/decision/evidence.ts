/**
 * What a finished comparison measured that a decision can use, per task: LoRA's share of full
 * fine-tuning's primary metric (paired by seed), wall time, device-hours and compute cost at the
 * stated rates, and the saved artifact sizes. Small and plain, so a questionnaire can carry it.
 */
import { analyzeComparison } from '../analysis/comparison-analysis';
import type { ComputeRates } from '../analysis/measured-cost';
import type { RunLike, RunSummary } from '../analysis/run-summary';
import { type SampleSummary, summarize } from '../analysis/statistics';
import type { TaskAnalysis } from '../analysis/task-analysis';

export interface MeasuredEvidence {
  jobId: string;
  task: string;
  /** The metric the share is of, as named in the results. */
  metric: string;
  /** LoRA / full fine-tuning per seed (full / LoRA for losses), summarised with a 95% interval. */
  share: SampleSummary;
  /** Seeds both methods completed. */
  seeds: number;
  /** Mean per chosen run. */
  wallSeconds: { lora: number; full: number };
  deviceHours: { lora: number; full: number };
  /** Mean compute cost per run, USD, at `ratesSource`. */
  computeUsd: { lora: number; full: number };
  ratesSource: string;
  artifactBytes: { lora: number; full: number };
  /** The model the runs trained (from their results). */
  model?: string;
  /** Full fine-tuning's mean primary test metric, when it is a score where higher is better. */
  fullScore?: number;
  /** Measured after training: swapping to the LoRA adapter on a loaded base vs loading the full checkpoint. */
  switchSeconds?: { lora: number; full: number };
}

function meanTime(runs: readonly RunSummary[], key: 'adapter_swap_s' | 'checkpoint_load_s'): number {
  const values = runs.flatMap((r) => {
    const value = (r as RunSummary & { deployment?: { times?: Record<string, number> } | null }).deployment
      ?.times?.[key];
    return typeof value === 'number' ? [value] : [];
  });
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
}

const mean = (runs: readonly RunSummary[], pick: (r: RunSummary) => number) =>
  runs.length ? runs.reduce((sum, r) => sum + pick(r), 0) / runs.length : Number.NaN;

function perSeedShare(task: TaskAnalysis): { share: SampleSummary; seeds: number } | undefined {
  const primary = task.primary;
  if (!primary) return undefined;
  const pick = (r: RunSummary): number | null | undefined =>
    primary.metric.kind === 'task'
      ? r.metrics?.[primary.metric.name]
      : (r[primary.metric.name as 'final_eval_loss' | 'test_loss'] ?? undefined);
  const bySeed = (runs: readonly RunSummary[]) =>
    new Map(runs.flatMap((r) => (typeof pick(r) === 'number' ? [[r.seed, pick(r) as number] as const] : [])));
  const lora = bySeed(task.lora?.runs ?? []);
  const full = bySeed(task.full?.runs ?? []);
  const shares: number[] = [];
  for (const [seed, fullValue] of full) {
    const loraValue = lora.get(seed);
    if (loraValue === undefined) continue;
    const share = primary.metric.higherIsBetter ? loraValue / fullValue : fullValue / loraValue;
    if (Number.isFinite(share)) shares.push(share);
  }
  return shares.length ? { share: summarize(shares), seeds: shares.length } : undefined;
}

/** The evidence of every task of a finished comparison that ran both methods. */
export function evidenceFromRuns(
  jobId: string,
  runs: readonly RunLike[],
  rates?: ComputeRates,
): MeasuredEvidence[] {
  const analysis = analyzeComparison(runs, rates ? { rates } : {});
  return analysis.tasks.flatMap((task): MeasuredEvidence[] => {
    const lora = task.lora?.runs ?? [];
    const full = task.full?.runs ?? [];
    const paired = perSeedShare(task);
    if (!lora.length || !full.length || !paired || !task.primary) return [];
    const compute = task.compute;
    return [
      {
        jobId,
        task: task.task,
        metric: task.primary.metric.label,
        share: paired.share,
        seeds: paired.seeds,
        wallSeconds: { lora: mean(lora, (r) => r.wall_time_s), full: mean(full, (r) => r.wall_time_s) },
        deviceHours: {
          lora: compute.hours.lora.mean ?? Number.NaN,
          full: compute.hours.full.mean ?? Number.NaN,
        },
        computeUsd: { lora: compute.cost.lora ?? Number.NaN, full: compute.cost.full ?? Number.NaN },
        ratesSource: compute.rates.source,
        artifactBytes: {
          lora: mean(lora, (r) => r.artifact_bytes),
          full: mean(full, (r) => r.artifact_bytes),
        },
        ...switchTimes(lora, full),
        ...(lora[0]?.model ? { model: lora[0].model } : {}),
        ...(task.primary.metric.kind === 'task' &&
        task.primary.metric.higherIsBetter &&
        task.primary.full.mean !== undefined
          ? { fullScore: task.primary.full.mean }
          : {}),
      },
    ];
  });
}

function switchTimes(
  lora: readonly RunSummary[],
  full: readonly RunSummary[],
): Pick<MeasuredEvidence, 'switchSeconds'> {
  const swap = meanTime(lora, 'adapter_swap_s');
  const load = meanTime(full, 'checkpoint_load_s');
  return Number.isFinite(swap) && Number.isFinite(load) ? { switchSeconds: { lora: swap, full: load } } : {};
}
