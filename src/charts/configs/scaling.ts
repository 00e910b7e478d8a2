import type { ChartConfiguration } from 'chart.js';
import { fullAdvantage } from '../../analysis/method-gap';
import type { ScalingAnalysis, ScalingRow } from '../../analysis/scaling';
import { formatRatio } from '../../analysis/uncertainty-format';
import { formatCount } from '../../format/units';
import type { ChartSpec } from '../chart-spec';
import { OKABE_ITO } from '../palette';
import { errorBarsPlugin } from '../plugins/error-bars';
import { valueLabelsPlugin } from '../plugins/value-labels';
import { CHART_SIZE, FONT_SIZES } from '../theme';
import {
  axisTitle,
  BAR_CHART_LAYOUT,
  BAR_STYLE,
  decadeTicks,
  gridStyle,
  headerPlugins,
  logBounds,
  tickStyle,
} from './layout';

const TASK_COLORS = [
  OKABE_ITO.bluishGreen,
  OKABE_ITO.orange,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.skyBlue,
  OKABE_ITO.black,
];
const RATIO_COLORS = {
  wall_time_s: OKABE_ITO.orange,
  peak_memory_bytes: OKABE_ITO.skyBlue,
  artifact_bytes: OKABE_ITO.reddishPurple,
};
const RATIO_NAMES = {
  wall_time_s: 'Time',
  peak_memory_bytes: 'Peak memory',
  artifact_bytes: 'Storage',
} as const;

const modelLabel = (row: ScalingRow) => [
  row.model,
  row.params === undefined ? '' : `${formatCount(row.params)} params`,
];

/** Models in size order (the rows of the first task that has them all). */
function modelsInOrder(analysis: ScalingAnalysis): ScalingRow[] {
  const seen = new Map<string, ScalingRow>();
  for (const row of [...analysis.rows].sort((a, b) => (a.params ?? Infinity) - (b.params ?? Infinity)))
    if (!seen.has(row.model)) seen.set(row.model, row);
  return [...seen.values()];
}

/**
 * The gap axis spans zero, every bar and every interval, so no interval is cut off; scores are
 * 0-1, so a gap between two of them never needs more than -1..1.
 */
function gapBounds(
  analysis: ScalingAnalysis,
  intervals: ({ low: number; high: number } | null)[][],
): { min: number; max: number } {
  const values = [
    0,
    ...analysis.rows.map(fullAdvantage).filter((v): v is number => v !== undefined),
    ...intervals.flat().flatMap((ci) => (ci ? [ci.low, ci.high] : [])),
  ];
  const scores = analysis.rows.every((r) => !r.primary || r.primary.metric.kind === 'task');
  const low = Math.min(...values);
  const high = Math.max(...values);
  const pad = (high - low) * 0.08 || 0.1;
  return scores
    ? { min: Math.max(-1, low - pad), max: Math.min(1, high + pad) }
    : { min: low - pad, max: high + pad };
}

/** Full fine-tuning's advantage on each task's primary metric, per model, with its 95% interval. */
export function scalingGapChart(analysis: ScalingAnalysis): ChartSpec | undefined {
  const models = modelsInOrder(analysis);
  const tasks = [...new Set(analysis.rows.map((r) => r.task))];
  if (models.length < 2 || !analysis.rows.some((r) => fullAdvantage(r) !== undefined)) return undefined;
  const cell = (task: string, model: string) =>
    analysis.rows.find((r) => r.task === task && r.model === model);
  const title = 'Scaling: full fine-tuning vs LoRA by model size';
  const intervals = tasks.map((task) =>
    models.map((m) => {
      const row = cell(task, m.model);
      const ci = row?.primary?.difference.ci;
      if (!row?.primary || !ci) return null;
      return row.primary.metric.higherIsBetter ? ci : { low: -ci.high, high: -ci.low };
    }),
  );
  const config: ChartConfiguration<'bar', (number | null)[], string[]> = {
    type: 'bar',
    data: {
      labels: models.map(modelLabel),
      datasets: tasks.map((task, i) => ({
        label: task,
        data: models.map((m) => {
          const row = cell(task, m.model);
          return row ? (fullAdvantage(row) ?? null) : null;
        }),
        backgroundColor: TASK_COLORS[i % TASK_COLORS.length],
        ...BAR_STYLE,
      })),
    },
    options: {
      layout: BAR_CHART_LAYOUT,
      plugins: {
        ...headerPlugins(title, [
          "Full FT's advantage on the primary metric (full - LoRA; above 0 favours full fine-tuning), measured",
          'Mean over seeds with its 95% interval; models smallest first',
        ]),
        faceoffErrorBars: { intervals },
        faceoffValueLabels: {
          fontSize: FONT_SIZES.valueLabel,
          labels: tasks.map((task) =>
            models.map((m) => {
              const row = cell(task, m.model);
              const v = row ? fullAdvantage(row) : undefined;
              return v === undefined ? null : `${v > 0 ? '+' : ''}${v.toFixed(3)}`;
            }),
          ),
        },
      },
      scales: {
        x: { ticks: { ...tickStyle, autoSkip: false, maxRotation: 0 }, grid: { display: false } },
        y: {
          ...gapBounds(analysis, intervals),
          title: axisTitle('full - LoRA (favours full above 0)'),
          ticks: tickStyle,
          grid: gridStyle,
        },
      },
    },
    plugins: [valueLabelsPlugin, errorBarsPlugin],
  };
  const parts = analysis.rows.map((r) => {
    const v = fullAdvantage(r);
    return `${r.task} on ${r.model}: ${v === undefined ? 'no result' : `${v > 0 ? '+' : ''}${v.toFixed(3)}`}`;
  });
  return {
    filename: 'scaling-gap.png',
    title,
    altText: `Bar chart of full fine-tuning's advantage over LoRA on the primary metric for each model, smallest first, with 95% intervals. ${parts.join('; ')}.`,
    size: CHART_SIZE,
    config: config as unknown as ChartConfiguration,
  };
}

/** What full fine-tuning costs over LoRA (time, peak memory, storage) per model, log scale, with intervals. */
export function scalingRatiosChart(analysis: ScalingAnalysis): ChartSpec | undefined {
  const models = modelsInOrder(analysis);
  if (models.length < 2) return undefined;
  const keys = ['wall_time_s', 'peak_memory_bytes', 'artifact_bytes'] as const;
  // One task's rows carry the ratios (the first task: a study usually has one).
  const task = analysis.rows[0]?.task;
  const rows = models.map((m) => analysis.rows.find((r) => r.task === task && r.model === m.model));
  const values = keys.map((key) => rows.map((r) => r?.ratios[key].ratio ?? null));
  const all = values.flat().filter((v): v is number => v !== null && v > 0);
  if (!all.length) return undefined;
  const bounds = logBounds([
    ...all,
    ...rows.flatMap((r) => keys.map((k) => r?.ratios[k].ci?.low ?? Number.NaN)),
  ]);
  const title = 'Scaling: what full fine-tuning costs over LoRA';
  const config: ChartConfiguration<'bar', (number | null)[], string[]> = {
    type: 'bar',
    data: {
      labels: models.map((m, i) => {
        const share = rows[i]?.trainableShare;
        return [...modelLabel(m), share === undefined ? '' : `LoRA trains ${(share * 100).toFixed(1)}%`];
      }),
      datasets: keys.map((key) => ({
        label: RATIO_NAMES[key],
        data: values[keys.indexOf(key)] ?? [],
        backgroundColor: RATIO_COLORS[key],
        ...BAR_STYLE,
      })),
    },
    options: {
      layout: BAR_CHART_LAYOUT,
      plugins: {
        ...headerPlugins(title, [
          `Full/LoRA per run (${task}), geometric mean over seeds with its 95% interval; log scale; 1 = equal`,
          'Measured per run; models smallest first',
        ]),
        faceoffErrorBars: { intervals: keys.map((key) => rows.map((r) => r?.ratios[key].ci ?? null)) },
        faceoffValueLabels: {
          fontSize: FONT_SIZES.valueLabel,
          labels: values.map((series) => series.map((v) => (v === null ? null : formatRatio(v)))),
        },
      },
      scales: {
        x: { ticks: { ...tickStyle, autoSkip: false, maxRotation: 0 }, grid: { display: false } },
        y: {
          type: 'logarithmic',
          min: Math.min(bounds.min, 0.1),
          max: bounds.max,
          title: axisTitle('full / LoRA (log)'),
          ticks: { ...tickStyle, callback: decadeTicks((v) => `${v}x`) },
          grid: gridStyle,
        },
      },
    },
    plugins: [valueLabelsPlugin, errorBarsPlugin],
  };
  const parts = models.map((m, i) => {
    const row = rows[i];
    return `${m.model}: ${keys.map((k) => `${RATIO_NAMES[k].toLowerCase()} ${formatRatio(row?.ratios[k].ratio)}`).join(', ')}`;
  });
  return {
    filename: 'scaling-costs.png',
    title,
    altText: `Bar chart of full fine-tuning's time, peak memory and storage over LoRA's for each model (${task}), log scale, with 95% intervals. ${parts.join('; ')}.`,
    size: CHART_SIZE,
    config: config as unknown as ChartConfiguration,
  };
}
