import { type Arm, meanOf } from '../analysis/arms';
import type { RunSummary } from '../analysis/run-summary';
import type { Table } from '../chat/replies';
import {
  formatBytes,
  formatCount,
  formatNumber,
  formatPercent,
  formatRate,
  formatSeconds,
} from '../format/units';
import { armConfigText } from './lora-config-text';
import { methodLabel } from './results-table-labels';
import { metricFlagNotes, testPowerNotes } from './test-power';

export { methodLabel } from './results-table-labels';

function primaryMetric(runs: RunSummary[]): { name: string; value: number | undefined } | undefined {
  const name = runs.find((r) => r.primary_metric)?.primary_metric ?? Object.keys(runs[0]?.metrics ?? {})[0];
  if (!name) return undefined;
  return { name, value: meanOf(runs, (r) => r.metrics[name]) };
}

/** The measured results of a comparison, one row per task and method (mean over seeds). */
export function resultsTable(arms: Arm[], lrTuned: boolean): Table {
  const rows = arms.map((arm) => {
    const runs = arm.runs;
    const metric = primaryMetric(runs);
    const trainable = meanOf(runs, (r) => r.trainable_params);
    const total = meanOf(runs, (r) => r.total_params);
    const memory = meanOf(runs, (r) => r.peak_memory_bytes);
    const artifact = meanOf(runs, (r) => r.artifact_bytes);
    return [
      arm.task,
      methodLabel(arm.method),
      armConfigText(runs),
      `${runs.length}`,
      arm.chosenLr === undefined ? '-' : `${formatRate(arm.chosenLr)}${arm.lrAtEdge ? ' (edge)' : ''}`,
      formatNumber(meanOf(runs, (r) => r.final_eval_loss)),
      metric ? `${formatNumber(metric.value)} ${metric.name}` : '-',
      trainable === undefined || !total
        ? '-'
        : `${formatCount(trainable)} (${formatPercent(trainable / total, 2)})`,
      memory === undefined ? '-' : formatBytes(memory),
      formatSeconds(meanOf(runs, (r) => r.wall_time_s) ?? Number.NaN),
      artifact === undefined ? '-' : formatBytes(artifact),
    ];
  });
  const devices = [...new Set(arms.flatMap((a) => a.runs.map((r) => `${r.device} (${r.memory_kind})`)))];
  const notes = [
    'All numbers measured by the runs above; mean over the seeds that completed at the chosen learning rate (and rank).',
    'Configuration: the adapter each run built as the trainer reports it (rank r, alpha α, dropout, adapted layers, rank rule); trainable share is of all parameters.',
    `Device: ${devices.join(', ') || '-'}.`,
    ...(lrTuned
      ? arms.map((a) => {
          // A staged sweep compares its points on the seeds they all ran (seed 0): show that, not
          // means over different seed counts, which would not show why the point was chosen.
          const onShared =
            a.choiceSeeds !== undefined && a.tried.some((t) => t.completed > (a.choiceSeeds?.length ?? 0));
          const seeds = a.choiceSeeds ?? [];
          const basis = onShared
            ? ` on seed${seeds.length === 1 ? '' : 's'} ${seeds.join(', ')}, which every rate ran and the choice compared`
            : '';
          return `${a.task} ${methodLabel(a.method)} learning rates tried (validation loss${basis}): ${a.tried
            .map((t) => {
              const loss = onShared ? t.choiceValLoss : t.meanValLoss;
              return `${formatRate(t.learningRate)}${t.rank === undefined ? '' : ` r=${t.rank}`} ${loss === undefined ? 'no completed run' : formatNumber(loss)}`;
            })
            .join(', ')}`;
        })
      : [
          'Learning rates were NOT tuned (lr_sweep=off): the defaults were used, so the gap may mostly reflect the learning rates.',
        ]),
    ...arms
      .filter((a) => a.chosenRank !== undefined)
      .map(
        (a) =>
          `${a.task} ${methodLabel(a.method)}: rank ${a.chosenRank} chosen on validation loss${a.rankAtEdge ? '; it is at the edge of the ranks tried, a better one may lie beyond them' : ''}.`,
      ),
    ...arms
      .filter((a) => a.lrAtEdge)
      .map(
        (a) =>
          `${a.task} ${methodLabel(a.method)}: the chosen learning rate is at the edge of the grid; a better one may lie beyond it.`,
      ),
    ...testPowerNotes(arms),
    ...metricFlagNotes(arms),
    ...arms
      .filter((a) => a.failed > 0)
      .map((a) => `${a.task} ${methodLabel(a.method)}: ${a.failed} run(s) failed and are not counted.`),
  ];
  return {
    title: 'Measured results',
    columns: [
      { header: 'Task' },
      { header: 'Method' },
      { header: 'Configuration' },
      { header: 'Seeds', align: 'right' },
      { header: 'LR', align: 'right' },
      { header: 'Val loss', align: 'right' },
      { header: 'Task metric (test)', align: 'right' },
      { header: 'Trainable params', align: 'right' },
      { header: 'Peak memory', align: 'right' },
      { header: 'Wall time', align: 'right' },
      { header: 'Artifact', align: 'right' },
    ],
    rows,
    notes,
  };
}
