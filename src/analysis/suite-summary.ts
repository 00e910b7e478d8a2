import { type MetricOutcome, OUTCOME_LABELS } from './paired-difference';
import type { MetricComparison, TaskAnalysis } from './task-analysis';

/** A column of the summary table: the same kind of measure across tasks whose metric names differ. */
export interface SummaryRole {
  role: 'primary' | 'quality' | 'consistency' | 'validation_loss';
  label: string;
  higherIsBetter: boolean;
}

export const SUMMARY_ROLES: SummaryRole[] = [
  { role: 'primary', label: 'Task metric (primary)', higherIsBetter: true },
  { role: 'quality', label: 'Quality proxy (chrF)', higherIsBetter: true },
  { role: 'consistency', label: 'Consistency', higherIsBetter: true },
  { role: 'validation_loss', label: 'Validation loss', higherIsBetter: false },
];

export interface SuiteRow {
  task: string;
  /** Per role: the task's metric filling it (its name can differ between tasks). */
  cells: Record<SummaryRole['role'], MetricComparison | undefined>;
  /** Decided on the primary metric (validation loss when there is none). */
  winner: MetricOutcome;
  winnerLabel: string;
  basis: string | undefined;
}

export interface AverageGap {
  role: SummaryRole;
  /** Mean over tasks of the per-task mean paired difference full - LoRA. */
  gap: number;
  tasks: number;
}

/** The article-style summary (winner per task, average gaps across tasks), from these runs only. */
export interface SuiteSummary {
  rows: SuiteRow[];
  averageGaps: AverageGap[];
  wins: Record<MetricOutcome, number>;
}

function metricFor(task: TaskAnalysis, role: SummaryRole['role']): MetricComparison | undefined {
  const taskMetrics = task.metrics.filter((m) => m.metric.kind === 'task');
  if (role === 'primary') return taskMetrics.find((m) => m.metric.primary);
  if (role === 'quality') return taskMetrics.find((m) => m.metric.name === 'quality_proxy_chrf');
  if (role === 'consistency') return taskMetrics.find((m) => m.metric.name.startsWith('consistency'));
  return task.metrics.find((m) => m.metric.name === 'final_eval_loss');
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export function winnerLabel(outcome: MetricOutcome, comparison: MetricComparison | undefined): string {
  if (!comparison) return 'no result';
  if (outcome === 'full_better') return 'Full FT';
  if (outcome === 'lora_better') return 'LoRA';
  return `no significant difference (${comparison.difference.n} seed${comparison.difference.n === 1 ? '' : 's'})`;
}

export function summarizeSuite(tasks: readonly TaskAnalysis[]): SuiteSummary {
  const rows = tasks.map((task): SuiteRow => {
    const cells = Object.fromEntries(
      SUMMARY_ROLES.map(({ role }) => [role, metricFor(task, role)]),
    ) as SuiteRow['cells'];
    const basis = cells.primary ?? cells.validation_loss;
    const winner = basis?.verdict.outcome ?? 'no_significant_difference';
    return {
      task: task.task,
      cells,
      winner,
      winnerLabel: winnerLabel(winner, basis),
      basis: basis?.metric.name,
    };
  });
  const averageGaps = SUMMARY_ROLES.flatMap((role) => {
    const gaps = rows.flatMap((r) => {
      const gap = r.cells[role.role]?.difference.mean;
      return gap === undefined ? [] : [gap];
    });
    return gaps.length ? [{ role, gap: mean(gaps), tasks: gaps.length }] : [];
  });
  const wins: Record<MetricOutcome, number> = {
    full_better: 0,
    lora_better: 0,
    no_significant_difference: 0,
  };
  for (const row of rows) wins[row.winner] += 1;
  return { rows, averageGaps, wins };
}

/** "Full FT ahead" / "LoRA ahead" for a gap, respecting which direction is better. */
export function gapDirection(gap: number, higherIsBetter: boolean): string {
  if (gap === 0) return 'no gap';
  return gap > 0 === higherIsBetter ? 'Full FT ahead' : 'LoRA ahead';
}

export const outcomeText = (outcome: MetricOutcome) => OUTCOME_LABELS[outcome];
