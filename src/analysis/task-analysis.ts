import type { Arm } from './arms';
import { type EfficiencyMeasure, efficiencyMeasures } from './efficiency';
import { type ComputeRates, type MeasuredCompute, measuredCompute } from './measured-cost';
import {
  judgeDifference,
  type MetricVerdict,
  type PairedDifference,
  pairedDifference,
} from './paired-difference';
import { type MethodPlateau, methodPlateau } from './plateau';
import type { RunSummary } from './run-summary';
import { type SampleSummary, summarize } from './statistics';

export interface MetricSpec {
  name: string;
  label: string;
  description?: string;
  higherIsBetter: boolean;
  kind: 'task' | 'loss';
  /** The task's primary metric. */
  primary: boolean;
  /** Unit in words: "score 0-1" or the loss unit. */
  unit: string;
}

export interface MetricComparison {
  metric: MetricSpec;
  lora: SampleSummary;
  full: SampleSummary;
  /** Full - LoRA, paired by seed. */
  difference: PairedDifference;
  verdict: MetricVerdict;
}

/** Both methods on one task, at the learning rates chosen on validation loss. */
export interface TaskAnalysis {
  task: string;
  lora: Arm | undefined;
  full: Arm | undefined;
  /** Task metrics (primary first), then validation loss and test loss. */
  metrics: MetricComparison[];
  /** The primary task metric, or validation loss when the runs report none. */
  primary: MetricComparison | undefined;
  plateau: { lora: MethodPlateau; full: MethodPlateau };
  efficiency: EfficiencyMeasure[];
  compute: MeasuredCompute;
}

/** `<metric>_stderr` entries are standard errors over test items, not metrics of their own. */
const STDERR_SUFFIX = '_stderr';

export const humanizeMetric = (name: string) => name.replace(/_/g, ' ');

type MetricPicker = (run: RunSummary) => number | null | undefined;

function bySeed(runs: readonly RunSummary[], pick: MetricPicker): Map<number, number> {
  const values = new Map<number, number>();
  for (const run of runs) {
    const value = pick(run);
    if (typeof value === 'number' && Number.isFinite(value)) values.set(run.seed, value);
  }
  return values;
}

function compareMetric(
  metric: MetricSpec,
  lora: readonly RunSummary[],
  full: readonly RunSummary[],
  pick: MetricPicker,
): MetricComparison {
  const loraBySeed = bySeed(lora, pick);
  const fullBySeed = bySeed(full, pick);
  const difference = pairedDifference(fullBySeed, loraBySeed);
  return {
    metric,
    lora: summarize([...loraBySeed.values()]),
    full: summarize([...fullBySeed.values()]),
    difference,
    verdict: judgeDifference(difference, metric.higherIsBetter),
  };
}

function taskMetricSpecs(runs: readonly RunSummary[]): MetricSpec[] {
  const primaryName = runs.find((r) => r.primary_metric)?.primary_metric ?? undefined;
  const names = new Set<string>();
  for (const run of runs) {
    for (const [name, value] of Object.entries(run.metrics ?? {})) {
      if (typeof value === 'number' && !name.endsWith(STDERR_SUFFIX)) names.add(name);
    }
  }
  const ordered = [...names].sort(
    (a, b) => Number(b === primaryName) - Number(a === primaryName) || a.localeCompare(b),
  );
  return ordered.map((name) => {
    const info = runs.find((r) => r.metric_info?.[name])?.metric_info?.[name];
    return {
      name,
      label: humanizeMetric(name),
      ...(info?.description ? { description: info.description } : {}),
      higherIsBetter: info?.higher_is_better ?? true,
      kind: 'task',
      primary: name === primaryName,
      unit: 'score 0-1',
    };
  });
}

function lossUnit(runs: readonly RunSummary[]): string {
  const unit = runs.map((r) => (r as { loss_unit?: unknown }).loss_unit).find((u) => typeof u === 'string');
  return typeof unit === 'string' ? unit : 'nats/token';
}

/** Per-metric summaries, paired differences and verdicts, plateau, efficiency and compute of one task. */
export function analyzeTask(
  task: string,
  lora: Arm | undefined,
  full: Arm | undefined,
  rates?: ComputeRates,
): TaskAnalysis {
  const loraRuns = lora?.runs ?? [];
  const fullRuns = full?.runs ?? [];
  const all = [...loraRuns, ...fullRuns];
  const unit = lossUnit(all);
  const loss = (name: string, label: string): MetricSpec => ({
    name,
    label,
    higherIsBetter: false,
    kind: 'loss',
    primary: false,
    unit,
  });
  const metrics = [
    ...taskMetricSpecs(all).map((spec) =>
      compareMetric(spec, loraRuns, fullRuns, (r) => r.metrics?.[spec.name]),
    ),
    compareMetric(loss('final_eval_loss', 'validation loss'), loraRuns, fullRuns, (r) => r.final_eval_loss),
    compareMetric(loss('test_loss', 'test loss'), loraRuns, fullRuns, (r) => r.test_loss),
  ].filter((m) => m.lora.n > 0 || m.full.n > 0);
  return {
    task,
    lora,
    full,
    metrics,
    primary:
      metrics.find((m) => m.metric.primary) ?? metrics.find((m) => m.metric.name === 'final_eval_loss'),
    plateau: { lora: methodPlateau(loraRuns), full: methodPlateau(fullRuns) },
    efficiency: efficiencyMeasures(loraRuns, fullRuns),
    compute: measuredCompute(loraRuns, fullRuns, rates),
  };
}
