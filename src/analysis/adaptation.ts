import type { Table } from '../chat/replies';
import { UNCERTAINTY_NOTE } from './analysis-tables';
import { formatPairedRatio, fullAdvantage, type PairedRatio, ratioOfPairs } from './method-gap';
import { PLATEAU_SHARE } from './plateau';
import type { SampleSummary } from './statistics';
import { winnerLabel } from './suite-summary';
import type { MetricComparison, TaskAnalysis } from './task-analysis';
import { formatDifference, formatEstimate, formatRatio } from './uncertainty-format';

/** One domain (task): how fast each method reached its plateau, and how far apart they ended. */
export interface AdaptationRow {
  task: string;
  lora: SampleSummary;
  full: SampleSummary;
  /** Full fine-tuning's steps over LoRA's, paired by seed (above 1: LoRA got there in fewer steps). */
  speedGain: PairedRatio;
  primary: MetricComparison | undefined;
}

export interface AdaptationSummary {
  rows: AdaptationRow[];
  /** Geometric mean of the domains' speed gains; undefined when no domain has one. */
  averageSpeedGain: number | undefined;
  /** Mean over domains of full fine-tuning's advantage on the primary metric (positive favours full). */
  averageAdvantage: number | undefined;
  /** Steps between validation losses (the plateau's resolution), from the runs' curves. */
  evalEvery: number | undefined;
}

/** The smallest gap between two validation points of any run: the resolution of steps to plateau. */
function validationInterval(tasks: readonly TaskAnalysis[]): number | undefined {
  const gaps = tasks.flatMap((t) =>
    [...(t.lora?.runs ?? []), ...(t.full?.runs ?? [])].flatMap((run) =>
      run.eval_curve.slice(1).map((p, i) => p.step - (run.eval_curve[i]?.step ?? 0)),
    ),
  );
  const positive = gaps.filter((g) => g > 0);
  return positive.length ? Math.min(...positive) : undefined;
}

const geometricMean = (values: number[]) =>
  values.length ? Math.exp(values.reduce((a, v) => a + Math.log(v), 0) / values.length) : undefined;
const mean = (values: number[]) =>
  values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;

/** The article's adaptation-speed study, measured: per domain, steps to plateau of both methods and the gap. */
export function adaptationAcrossDomains(tasks: readonly TaskAnalysis[]): AdaptationSummary | undefined {
  if (tasks.length < 2) return undefined;
  const rows = tasks.map((task): AdaptationRow => {
    const { lora, full } = task.plateau;
    const pairs = full.perSeed.map(
      (f) => [f.steps, lora.perSeed.find((l) => l.seed === f.seed)?.steps] as const,
    );
    return {
      task: task.task,
      lora: lora.summary,
      full: full.summary,
      speedGain: ratioOfPairs(pairs),
      primary: task.primary,
    };
  });
  const gains = rows.map((r) => r.speedGain.ratio).filter((v): v is number => v !== undefined);
  const advantages = rows.map((r) => fullAdvantage(r)).filter((v): v is number => v !== undefined);
  return {
    rows,
    averageSpeedGain: geometricMean(gains),
    averageAdvantage: mean(advantages),
    evalEvery: validationInterval(tasks),
  };
}

/** "Adaptation across domains": the article's table (steps, speed gain, performance gap) from these runs. */
export function adaptationTable(summary: AdaptationSummary): Table {
  const { evalEvery } = summary;
  const rows = summary.rows.map((row) => [
    row.task,
    formatEstimate(row.lora, 0),
    formatEstimate(row.full, 0),
    formatPairedRatio(row.speedGain),
    row.primary ? formatDifference(row.primary.difference) : '-',
    row.primary ? winnerLabel(row.primary.verdict.outcome, row.primary) : 'no result',
  ]);
  const advantage = summary.averageAdvantage;
  rows.push([
    'Average',
    '',
    '',
    `${formatRatio(summary.averageSpeedGain)} (geometric mean)`,
    advantage === undefined ? '-' : `${advantage > 0 ? '+' : ''}${advantage.toFixed(3)} (full's advantage)`,
    '',
  ]);
  const faster = summary.rows.filter((r) => r.speedGain.ci && r.speedGain.ci.low > 1).map((r) => r.task);
  const slower = summary.rows.filter((r) => r.speedGain.ci && r.speedGain.ci.high < 1).map((r) => r.task);
  return {
    title: 'Adaptation across domains (measured by these runs)',
    columns: [
      { header: 'Domain' },
      { header: 'LoRA steps to plateau', align: 'right' },
      { header: 'Full FT steps to plateau', align: 'right' },
      { header: 'Speed gain (full/LoRA steps)', align: 'right' },
      { header: 'Gap on primary (full - LoRA)', align: 'right' },
      { header: 'Winner (primary)' },
    ],
    rows,
    notes: [
      UNCERTAINTY_NOTE,
      `Steps to plateau: first validation step at which the loss has covered ${PLATEAU_SHARE * 100}% of its improvement from the starting loss to the last validation loss${evalEvery ? `; validation every ${evalEvery} steps, so a value is known to within ${evalEvery} steps` : ''}.`,
      "Speed gain: per-seed ratio of full fine-tuning's steps to LoRA's, geometric mean with its 95% interval; above 1 means LoRA reached its plateau in fewer steps (the article's claim). A plateau is each method's own: a method that learns less can plateau sooner.",
      `LoRA faster with an interval above 1: ${faster.join(', ') || 'none'}; slower with an interval below 1: ${slower.join(', ') || 'none'}. An interval of zero width means every seed stopped at the same validation point: the spread is below the resolution, not absent.`,
      'Gap: the primary metric per domain (validation loss where a dataset has none), full - LoRA paired by seed.',
    ],
  };
}
