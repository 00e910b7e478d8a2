import { analyzeComparison } from './comparison-analysis';
import { fullAdvantage, type PairedRatio, ratioOfPairs } from './method-gap';
import type { MetricOutcome } from './paired-difference';
import type { RunLike, RunSummary } from './run-summary';
import type { MetricComparison } from './task-analysis';

export type RatioKey = 'wall_time_s' | 'peak_memory_bytes' | 'artifact_bytes';

/** One model on one task: the gap between the methods and what full fine-tuning costs over LoRA. */
export interface ScalingRow {
  model: string;
  task: string;
  /** Base-model parameters, as the trainer counted them (without LoRA's adapter). */
  params: number | undefined;
  /** The task's primary metric (validation loss when it reports none), full - LoRA paired by seed. */
  primary: MetricComparison | undefined;
  outcome: MetricOutcome | undefined;
  ratios: Record<RatioKey, PairedRatio>;
  /** LoRA's trainable parameters over the base model's, mean over its chosen runs. */
  trainableShare: number | undefined;
}

/** Where the gap and the ratios head as the model grows: a least-squares slope against log10(parameters). */
export interface ScalingTrend {
  task: string;
  models: number;
  /**
   * Change of full fine-tuning's advantage on the primary metric (full - LoRA, sign turned so that
   * positive favours full fine-tuning) per tenfold parameters; undefined below two sizes.
   */
  advantagePerDecade: number | undefined;
}

export interface ScalingAnalysis {
  /** Sorted by task, then by parameters (smallest first). */
  rows: ScalingRow[];
  trends: ScalingTrend[];
  /** Models whose comparison produced no completed pair of runs. */
  missing: string[];
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const meanOf = (values: number[]) =>
  values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;

/** Per-seed full/LoRA ratios of `key`, summarised on the log scale (ratios multiply, so their spread is symmetric there). */
export function pairedRatio(
  lora: readonly RunSummary[],
  full: readonly RunSummary[],
  key: RatioKey,
): PairedRatio {
  const pairs: [number, number][] = [];
  for (const f of full) {
    const l = lora.find((r) => r.seed === f.seed);
    if (l) pairs.push([f[key], l[key]]);
  }
  return ratioOfPairs(pairs);
}

function slope(points: { x: number; y: number }[]): number | undefined {
  if (points.length < 2) return undefined;
  const mx = meanOf(points.map((p) => p.x)) as number;
  const my = meanOf(points.map((p) => p.y)) as number;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  if (sxx === 0) return undefined;
  return points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx;
}

/** The same comparison on several models (one job per model): gap and costs against model size, from these runs only. */
export function analyzeScaling(
  members: readonly { model: string; runs: readonly RunLike[] }[],
): ScalingAnalysis {
  const rows: ScalingRow[] = [];
  const missing: string[] = [];
  for (const member of members) {
    const analysis = analyzeComparison(member.runs);
    let found = false;
    for (const task of analysis.tasks) {
      const lora = task.lora?.runs ?? [];
      const full = task.full?.runs ?? [];
      if (!lora.length && !full.length) continue;
      found = true;
      // The base model's size: a LoRA run's total counts its adapter too.
      const params = meanOf(
        [...lora, ...full]
          .map((r) => r.base_model_params ?? (r.method === 'full' ? r.total_params : undefined))
          .filter(finite),
      );
      const shares = lora.filter((r) => finite(r.trainable_params) && r.total_params > 0);
      rows.push({
        model: member.model,
        task: task.task,
        params,
        primary: task.primary,
        outcome: task.primary?.verdict.outcome,
        ratios: {
          wall_time_s: pairedRatio(lora, full, 'wall_time_s'),
          peak_memory_bytes: pairedRatio(lora, full, 'peak_memory_bytes'),
          artifact_bytes: pairedRatio(lora, full, 'artifact_bytes'),
        },
        trainableShare: meanOf(shares.map((r) => r.trainable_params / r.total_params)),
      });
    }
    if (!found) missing.push(member.model);
  }
  rows.sort((a, b) => a.task.localeCompare(b.task) || (a.params ?? Infinity) - (b.params ?? Infinity));
  const tasks = [...new Set(rows.map((r) => r.task))];
  const trends = tasks.map((task): ScalingTrend => {
    const points = rows
      .filter(
        (r) => r.task === task && finite(r.params) && r.params > 0 && finite(r.primary?.difference.mean),
      )
      .map((r) => ({ x: Math.log10(r.params as number), y: fullAdvantage(r) as number }));
    return { task, models: rows.filter((r) => r.task === task).length, advantagePerDecade: slope(points) };
  });
  return { rows, trends, missing };
}
