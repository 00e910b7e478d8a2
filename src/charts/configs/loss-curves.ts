import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { aggregateCurves, type CurvePoint, evalLossCurve, trainLossCurve } from '../../analysis/curves';
import { plateauStart, stepsToPlateau } from '../../analysis/plateau';
import type { TaskAnalysis } from '../../analysis/task-analysis';
import type { ChartSpec } from '../chart-spec';
import { type ChartMethod, METHOD_COLORS, METHOD_NAMES, withAlpha } from '../palette';
import { CHART_SIZE } from '../theme';
import { armSettingsLine } from './arm-settings';
import { axisTitle, gridStyle, headerPlugins, tickStyle } from './layout';

type LineData = ChartDataset<'line', { x: number; y: number }[]>;

interface MethodCurves {
  method: ChartMethod;
  seeds: number;
  train: CurvePoint[];
  eval: CurvePoint[];
  /** Steps to 95% of the mean validation curve's improvement. */
  plateauStep: number | undefined;
}

function methodCurves(task: TaskAnalysis, method: 'lora' | 'full'): MethodCurves | undefined {
  const runs = task[method]?.runs ?? [];
  if (!runs.length) return undefined;
  const evalPoints = aggregateCurves(runs.map(evalLossCurve));
  const starts = runs.map(plateauStart).filter((s) => s !== undefined);
  const start =
    starts.length === runs.length && starts[0]
      ? { step: starts[0].step, value: starts.reduce((sum, s) => sum + s.value, 0) / starts.length }
      : undefined;
  return {
    method,
    seeds: runs.length,
    train: aggregateCurves(runs.map(trainLossCurve)),
    eval: evalPoints,
    plateauStep: stepsToPlateau(
      evalPoints.map((p) => ({ step: p.step, value: p.mean })),
      start,
    ),
  };
}

const points = (curve: CurvePoint[], pick: (p: CurvePoint) => number) =>
  curve.map((p) => ({ x: p.step, y: pick(p) }));

function datasets(curves: MethodCurves): LineData[] {
  const color = METHOD_COLORS[curves.method];
  const name = METHOD_NAMES[curves.method];
  const band = (curve: CurvePoint[], alpha: number, label: string): LineData[] => [
    { label: `${label} min`, data: points(curve, (p) => p.min), borderWidth: 0, pointRadius: 0, fill: false },
    {
      label: `${label} max`,
      data: points(curve, (p) => p.max),
      borderWidth: 0,
      pointRadius: 0,
      fill: '-1',
      backgroundColor: withAlpha(color, alpha),
    },
  ];
  const plateau = curves.eval.find((p) => p.step === curves.plateauStep);
  return [
    ...band(curves.train, 0.12, `${name} train`),
    {
      label: `${name} train loss`,
      data: points(curves.train, (p) => p.mean),
      borderColor: withAlpha(color, 0.75),
      borderWidth: 2,
      borderDash: [8, 5],
      pointRadius: 0,
      fill: false,
    },
    ...band(curves.eval, 0.25, `${name} eval`),
    {
      label: `${name} validation loss`,
      data: points(curves.eval, (p) => p.mean),
      borderColor: color,
      backgroundColor: color,
      borderWidth: 4,
      pointRadius: 5,
      fill: false,
    },
    ...(plateau
      ? [
          {
            label: `${name} plateau`,
            data: [{ x: plateau.step, y: plateau.mean }],
            borderColor: '#000000',
            backgroundColor: color,
            pointStyle: 'triangle' as const,
            pointRadius: 13,
            borderWidth: 2,
            showLine: false,
          },
        ]
      : []),
  ];
}

const isMeanLine = (label: string) => label.endsWith(' loss');
const fmt = (value: number | undefined) => (value === undefined ? 'n/a' : value.toFixed(3));

function describe(task: string, all: MethodCurves[], unit: string): string {
  const parts = all.map((c) => {
    const last = c.eval.at(-1);
    const range = last && c.seeds > 1 ? ` (seeds ranged ${fmt(last.min)} to ${fmt(last.max)})` : '';
    const plateau =
      c.plateauStep === undefined
        ? 'did not improve measurably'
        : `reached 95% of its validation-loss improvement at step ${c.plateauStep}`;
    return `${METHOD_NAMES[c.method]} (${c.seeds} seed${c.seeds === 1 ? '' : 's'}): final validation loss ${fmt(last?.mean)} ${unit} at step ${last?.step ?? 'n/a'}${range}; it ${plateau}.`;
  });
  return `Line chart of training loss (dashed) and validation loss (solid) against training step on ${task}, mean over seeds with a shaded min-max band. ${parts.join(' ')}`;
}

/** Train and validation loss per step for both methods: the plateau chart. */
export function lossCurvesChart(task: TaskAnalysis): ChartSpec | undefined {
  const all = [methodCurves(task, 'lora'), methodCurves(task, 'full')].filter((c): c is MethodCurves => !!c);
  if (!all.length) return undefined;
  const unit = task.metrics.find((m) => m.metric.kind === 'loss')?.metric.unit ?? 'nats/token';
  const seeds = all.map((c) => `${METHOD_NAMES[c.method]} ${c.seeds}`).join(', ');
  const marks = all.map((c) => `${METHOD_NAMES[c.method]} step ${c.plateauStep ?? 'n/a'}`).join(', ');
  const title = `Loss curves: ${task.task}`;
  const settings = armSettingsLine(task);
  const config: ChartConfiguration<'line', { x: number; y: number }[]> = {
    type: 'line',
    data: { datasets: all.flatMap(datasets) },
    options: {
      layout: { padding: { left: 8, right: 24, top: 4, bottom: 4 } },
      plugins: {
        ...headerPlugins(
          title,
          [
            `Lines: mean over seeds (${seeds}); shaded: min-max across seeds`,
            `▲ 95% of the validation-loss gain reached: ${marks}`,
            ...(settings ? [settings] : []),
          ],
          {
            labels: { filter: (item: { text: string }) => isMeanLine(item.text) },
          },
        ),
      },
      scales: {
        x: { type: 'linear', title: axisTitle('training step'), ticks: tickStyle, grid: gridStyle },
        y: { type: 'linear', title: axisTitle(`loss (${unit})`), ticks: tickStyle, grid: gridStyle },
      },
    },
  };
  return {
    filename: `loss-curves-${task.task}.png`,
    title,
    altText: describe(task.task, all, unit),
    size: CHART_SIZE,
    config: config as ChartConfiguration,
  };
}
