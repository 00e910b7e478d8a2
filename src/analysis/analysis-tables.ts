import type { Table } from '../chat/replies';
import type { ComparisonAnalysis } from './comparison-analysis';
import { PLATEAU_SHARE } from './plateau';
import type { TaskAnalysis } from './task-analysis';
import {
  formatDifference,
  formatDollars,
  formatEstimate,
  formatHours,
  formatQuantityEstimate,
  formatRatio,
  formatVerdict,
} from './uncertainty-format';

export const UNCERTAINTY_NOTE =
  '± is half the 95% Student t interval across seeds; "n/a (1 seed)": one seed gives no interval.';

const seedCount = (task: TaskAnalysis) => Math.max(task.lora?.runs.length ?? 0, task.full?.runs.length ?? 0);

/** Every metric of one task: both methods, the paired difference and the verdict. */
export function taskMetricsTable(task: TaskAnalysis): Table {
  const rows = task.metrics.map((m) => [
    `${m.metric.label}${m.metric.primary ? ' (primary)' : ''}`,
    m.metric.higherIsBetter ? 'higher' : 'lower',
    formatEstimate(m.lora),
    formatEstimate(m.full),
    formatDifference(m.difference),
    formatVerdict(m.verdict, m.difference),
  ]);
  const unsure = task.metrics.filter((m) => m.verdict.outcome === 'no_significant_difference');
  return {
    title: `${task.task}: LoRA vs full fine-tuning, mean over ${seedCount(task)} seed(s) at each method's chosen learning rate`,
    columns: [
      { header: 'Metric' },
      { header: 'Better' },
      { header: 'LoRA', align: 'right' },
      { header: 'Full FT', align: 'right' },
      { header: 'Full - LoRA (paired)', align: 'right' },
      { header: 'Verdict' },
    ],
    rows,
    notes: [
      UNCERTAINTY_NOTE,
      'Full - LoRA pairs the two methods seed by seed; a verdict needs that interval to exclude zero.',
      ...(unsure.some((m) => m.verdict.seedsNeeded !== undefined)
        ? [
            '"need ~N seeds": seeds per method at which a paired test would detect the observed difference with 80% power, if it is real.',
          ]
        : []),
      `Task metrics are on the 0-1 scale, measured on the test split; losses are in ${task.metrics.find((m) => m.metric.kind === 'loss')?.metric.unit ?? 'nats per token'}.`,
    ],
  };
}

/** Wall time, memory, parameters, storage, compute and steps to plateau, with full/LoRA ratios. */
export function efficiencyTable(analysis: ComparisonAnalysis): Table {
  const { compute } = analysis;
  const rows = analysis.efficiency.map((m) => [
    m.label,
    formatQuantityEstimate(m.lora, m.unit),
    formatQuantityEstimate(m.full, m.unit),
    formatRatio(m.ratio),
  ]);
  rows.push([
    `Compute per run, ${compute.hoursKind}`,
    formatHours(compute.hours.lora.mean),
    formatHours(compute.hours.full.mean),
    formatRatio(
      compute.hours.lora.mean ? (compute.hours.full.mean ?? Number.NaN) / compute.hours.lora.mean : undefined,
    ),
  ]);
  rows.push([
    'Compute cost per run (assumed $/h)',
    formatDollars(compute.cost.lora),
    formatDollars(compute.cost.full),
    formatRatio(compute.ratio),
  ]);
  for (const task of analysis.tasks) {
    const { lora, full } = task.plateau;
    rows.push([
      `Steps to ${PLATEAU_SHARE * 100}% of eval-loss gain${analysis.tasks.length > 1 ? ` (${task.task})` : ''}`,
      formatEstimate(lora.summary, 0),
      formatEstimate(full.summary, 0),
      formatRatio(lora.summary.mean ? (full.summary.mean ?? Number.NaN) / lora.summary.mean : undefined),
    ]);
  }
  return {
    title: 'Efficiency (measured per run; mean over the chosen runs of every task)',
    columns: [
      { header: 'Measure' },
      { header: 'LoRA', align: 'right' },
      { header: 'Full FT', align: 'right' },
      { header: 'Full / LoRA', align: 'right' },
    ],
    rows,
    notes: [
      UNCERTAINTY_NOTE,
      `Device: ${analysis.devices.join(', ') || '-'}. Cost = ${compute.hoursKind} x $${compute.rates.lora}/h (LoRA), $${compute.rates.full}/h (full): ${compute.rates.source}.`,
      ...(compute.hoursKind === 'device-hours (CPU)'
        ? [
            'CPU runs: device-hours (wall time x devices) stand in for GPU-hours, priced at the GPU rates for comparison only.',
          ]
        : []),
      `Steps to plateau: first validation step at which the loss has covered ${PLATEAU_SHARE * 100}% of its improvement from the starting loss (first training batch, before any update) to the last validation loss; resolution: the evaluation interval.`,
      ...(analysis.otherMethods.length ? [`Not compared here: ${analysis.otherMethods.join(', ')}.`] : []),
    ],
  };
}
