import type { ChartConfiguration } from 'chart.js';
import type { AdaptationSummary } from '../../analysis/adaptation';
import { fullAdvantage } from '../../analysis/method-gap';
import { formatRatio } from '../../analysis/uncertainty-format';
import type { ChartSpec } from '../chart-spec';
import { errorBarsPlugin } from '../plugins/error-bars';
import { valueLabelsPlugin } from '../plugins/value-labels';
import { CHART_SIZE, FONT_SIZES } from '../theme';
import {
  axisTitle,
  BAR_CHART_LAYOUT,
  COMPARED_METHODS,
  gridStyle,
  headerPlugins,
  methodBarDatasets,
  tickStyle,
} from './layout';

const signed = (v: number | undefined) =>
  v === undefined ? 'gap -' : `gap ${v > 0 ? '+' : ''}${v.toFixed(3)}`;

/** Steps to plateau per domain for both methods (95% intervals), labelled with the speed gain and the gap. */
export function adaptationChart(summary: AdaptationSummary): ChartSpec | undefined {
  const rows = summary.rows.filter((r) => r.lora.mean !== undefined || r.full.mean !== undefined);
  if (rows.length < 2) return undefined;
  const title = 'Adaptation speed across domains: steps to plateau';
  const config: ChartConfiguration<'bar', (number | null)[], string[]> = {
    type: 'bar',
    data: {
      labels: rows.map((r) => [
        r.task.replace(/_/g, ' '),
        `full/LoRA ${formatRatio(r.speedGain.ratio)}`,
        signed(fullAdvantage(r)),
      ]),
      datasets: methodBarDatasets((method) => rows.map((r) => r[method].mean ?? null)),
    },
    options: {
      layout: BAR_CHART_LAYOUT,
      plugins: {
        ...headerPlugins(title, [
          `Mean steps to reach 95% of each run's validation-loss improvement, with 95% intervals${summary.evalEvery ? `; resolution ${summary.evalEvery} steps` : ''}`,
          "Labels: full/LoRA steps (above 1: LoRA faster) and full FT's advantage on the primary metric; measured",
        ]),
        faceoffErrorBars: { intervals: COMPARED_METHODS.map((m) => rows.map((r) => r[m].ci ?? null)) },
        faceoffValueLabels: {
          fontSize: FONT_SIZES.valueLabel,
          labels: COMPARED_METHODS.map((m) =>
            rows.map((r) => (r[m].mean === undefined ? null : r[m].mean.toFixed(0))),
          ),
        },
      },
      scales: {
        x: { ticks: { ...tickStyle, autoSkip: false, maxRotation: 0 }, grid: { display: false } },
        y: { min: 0, title: axisTitle('steps to plateau'), ticks: tickStyle, grid: gridStyle },
      },
    },
    plugins: [valueLabelsPlugin, errorBarsPlugin],
  };
  const parts = rows.map(
    (r) =>
      `${r.task}: LoRA ${r.lora.mean?.toFixed(0) ?? '-'}, full ${r.full.mean?.toFixed(0) ?? '-'} steps (full/LoRA ${formatRatio(r.speedGain.ratio)}, ${signed(fullAdvantage(r))})`,
  );
  return {
    filename: 'adaptation-speed.png',
    title,
    altText: `Bar chart of the steps each method took to reach its plateau in each domain, with 95% intervals. ${parts.join('; ')}.`,
    size: CHART_SIZE,
    config: config as unknown as ChartConfiguration,
  };
}
