import type { ChartConfiguration } from 'chart.js';
import { formatDollars, formatRatio } from '../../analysis/uncertainty-format';
import type { CostComparison, MethodCost } from '../../cost/cost-model';
import type { ChartSpec } from '../chart-spec';
import { valueLabelsPlugin } from '../plugins/value-labels';
import { CHART_SIZE, FONT_SIZES } from '../theme';
import {
  axisTitle,
  BAR_CHART_LAYOUT,
  COMPARED_METHODS,
  decadeTicks,
  gridStyle,
  headerPlugins,
  logBounds,
  methodBarDatasets,
  spansOrders,
  tickStyle,
} from './layout';

/** Short axis labels: "$80k", "$2.5k", "$0.50". */
function axisDollars(v: number): string {
  if (v === 0) return '$0';
  return Math.abs(v) >= 1000 ? `$${Number((v / 1000).toPrecision(3))}k` : formatDollars(v);
}

const ITEMS: { label: string; pick: (m: MethodCost) => number }[] = [
  { label: 'Training', pick: (m) => m.training.total },
  { label: 'Monthly deployment', pick: (m) => m.monthly.total },
  { label: 'First year', pick: (m) => m.firstYear },
];

export interface CostChartOptions {
  /** Where the figures come from, one or two short lines under the title. */
  basis: string[];
  filename?: string;
}

/** Training, monthly deployment and first-year cost of LoRA and full fine-tuning from a CostComparison. */
export function costChart(cost: CostComparison, options: CostChartOptions): ChartSpec {
  const values = COMPARED_METHODS.map((method) => ITEMS.map((item) => item.pick(cost[method])));
  const flat = values.flat();
  const useLog = spansOrders(flat, 100);
  const title = 'Cost: LoRA vs full fine-tuning (USD)';
  const ratio = (i: number) => formatRatio((values[1]?.[i] ?? 0) / (values[0]?.[i] || Number.NaN));
  const config: ChartConfiguration<'bar', number[], string[]> = {
    type: 'bar',
    data: {
      labels: ITEMS.map((item, i) => [item.label, `full/LoRA ${ratio(i)}`]),
      datasets: methodBarDatasets((_, i) => values[i] ?? []),
    },
    options: {
      layout: BAR_CHART_LAYOUT,
      plugins: {
        ...headerPlugins(title, [
          ...options.basis,
          `First year = training + ${cost.inputs.months} months of deployment${useLog ? ' (log scale)' : ''}`,
        ]),
        faceoffValueLabels: {
          fontSize: FONT_SIZES.valueLabel,
          labels: values.map((row) => row.map((v) => formatDollars(v))),
        },
      },
      scales: {
        x: { ticks: { ...tickStyle, autoSkip: false, maxRotation: 0 }, grid: { display: false } },
        y: useLog
          ? {
              type: 'logarithmic',
              ...logBounds(flat),
              title: axisTitle('US dollars (log scale)'),
              ticks: { ...tickStyle, callback: decadeTicks((v) => (v < 0.01 ? `$${v}` : formatDollars(v))) },
              grid: gridStyle,
            }
          : {
              beginAtZero: true,
              grace: '12%',
              title: axisTitle('US dollars'),
              ticks: { ...tickStyle, callback: (v) => axisDollars(Number(v)) },
              grid: gridStyle,
            },
      },
    },
    plugins: [valueLabelsPlugin],
  };
  const parts = ITEMS.map(
    (item, i) =>
      `${item.label}: LoRA ${formatDollars(values[0]?.[i])}, Full FT ${formatDollars(values[1]?.[i])}`,
  );
  return {
    filename: options.filename ?? 'cost.png',
    title,
    altText: `Bar chart of cost in US dollars for LoRA and full fine-tuning (${options.basis.join('; ')}). ${parts.join('; ')}. First-year savings with LoRA: ${formatDollars(cost.firstYearSavings.amount)}.`,
    size: CHART_SIZE,
    config: config as unknown as ChartConfiguration,
  };
}
