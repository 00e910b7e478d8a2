import type { Table } from '../chat/replies';
import { formatCount } from '../format/units';
import { UNCERTAINTY_NOTE } from './analysis-tables';
import { formatPairedRatio, fullAdvantage } from './method-gap';
import type { ScalingAnalysis, ScalingRow } from './scaling';
import { winnerLabel } from './suite-summary';
import { formatDifference, formatEstimate } from './uncertainty-format';

const params = (row: ScalingRow) => (row.params === undefined ? '-' : formatCount(row.params));
const share = (v: number | undefined) => (v === undefined ? '-' : `${(v * 100).toFixed(v < 0.01 ? 2 : 1)}%`);

/** How full fine-tuning's advantage moved with size, in words, from these runs only. */
export function trendSentence(analysis: ScalingAnalysis, task: string): string | undefined {
  const trend = analysis.trends.find((t) => t.task === task);
  const rows = analysis.rows.filter((r) => r.task === task && fullAdvantage(r) !== undefined);
  if (!trend || trend.advantagePerDecade === undefined || rows.length < 2) return undefined;
  const metric = rows[0]?.primary?.metric.label ?? 'the primary metric';
  const per = trend.advantagePerDecade;
  const direction =
    per > 0
      ? "full fine-tuning's lead grows (or LoRA's shrinks) with size"
      : per < 0
        ? "LoRA closes the gap (or widens its lead) with size, as the article's FAQ claims"
        : 'no change with size';
  const decided = rows.filter((r) => r.outcome && r.outcome !== 'no_significant_difference').length;
  return `${task}: full fine-tuning's advantage on ${metric} changes by ${per > 0 ? '+' : ''}${per.toFixed(3)} per tenfold parameters over ${rows.length} sizes (least squares on log10 parameters): ${direction}. A direction from ${rows.length} points, not a tested trend; ${decided} of ${rows.length} sizes have a significant difference on their own.`;
}

/** The scaling study's table: one row per task and model, smallest model first. */
export function scalingTable(analysis: ScalingAnalysis, options: { lrSwept?: boolean } = {}): Table {
  const rows = analysis.rows.map((row) => [
    row.task,
    row.model,
    params(row),
    row.primary ? formatEstimate(row.primary.full) : '-',
    row.primary ? formatEstimate(row.primary.lora) : '-',
    row.primary ? formatDifference(row.primary.difference) : '-',
    row.outcome ? winnerLabel(row.outcome, row.primary) : 'no result',
    formatPairedRatio(row.ratios.wall_time_s),
    formatPairedRatio(row.ratios.peak_memory_bytes),
    formatPairedRatio(row.ratios.artifact_bytes),
    share(row.trainableShare),
  ]);
  const metrics = [...new Set(analysis.rows.map((r) => `${r.task}: ${r.primary?.metric.name ?? 'none'}`))];
  return {
    title: 'Scaling: the same comparison on each model (measured by these runs)',
    columns: [
      { header: 'Task' },
      { header: 'Model' },
      { header: 'Parameters', align: 'right' },
      { header: 'Full FT (primary)', align: 'right' },
      { header: 'LoRA (primary)', align: 'right' },
      { header: 'Full - LoRA', align: 'right' },
      { header: 'Winner' },
      { header: 'Time full/LoRA', align: 'right' },
      { header: 'Memory full/LoRA', align: 'right' },
      { header: 'Storage full/LoRA', align: 'right' },
      { header: 'LoRA trainable', align: 'right' },
    ],
    rows,
    notes: [
      UNCERTAINTY_NOTE,
      `Primary metric: ${metrics.join('; ')}. ${options.lrSwept === false ? "Learning rates were not swept: each model trained at its size bucket's default rates, so a gap may reflect the rates." : "Each model's learning rates were chosen on its own validation loss."}`,
      "Ratios: geometric mean of the per-seed full/LoRA ratios with its 95% interval (t interval of the mean log ratio). LoRA trainable: its trainable parameters over all of the model's (base and adapter), as the trainer reports them.",
      ...[...new Set(analysis.rows.map((r) => r.task))]
        .map((task) => trendSentence(analysis, task))
        .filter((s): s is string => !!s),
      ...(analysis.missing.length ? [`No completed pair of runs: ${analysis.missing.join(', ')}.`] : []),
    ],
  };
}
