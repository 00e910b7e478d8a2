import type { ChartConfiguration } from 'chart.js';
import type { EfficiencyMeasure } from '../../analysis/efficiency';
import { formatQuantity, formatRatio } from '../../analysis/uncertainty-format';
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
  tickStyle,
  wrapLabel,
} from './layout';

/** Each measure as a share of the larger of the two methods, so different units share one axis. */
function shares(measure: EfficiencyMeasure): Record<'lora' | 'full', number | null> {
  const lora = measure.lora.mean;
  const full = measure.full.mean;
  const top = Math.max(lora ?? 0, full ?? 0);
  const share = (v: number | undefined) => (v === undefined || top <= 0 ? null : v / top);
  return { lora: share(lora), full: share(full) };
}

const present = (m: EfficiencyMeasure) => m.lora.mean !== undefined || m.full.mean !== undefined;

function describe(measures: EfficiencyMeasure[], device: string): string {
  const parts = measures.map(
    (m) =>
      `${m.label}: LoRA ${formatQuantity(m.lora.mean, m.unit)}, Full FT ${formatQuantity(m.full.mean, m.unit)} (full/LoRA ${formatRatio(m.ratio)})`,
  );
  return `Bar chart comparing the resources LoRA and full fine-tuning used per run on ${device}; each pair is scaled to its larger value and labelled with the measured value. ${parts.join('; ')}.`;
}

/** Wall time, peak memory, trainable parameters and storage: both methods, units on every bar. */
export function efficiencyChart(
  measures: readonly EfficiencyMeasure[],
  devices: readonly string[],
): ChartSpec | undefined {
  const shown = measures.filter(present);
  if (!shown.length) return undefined;
  const values = shown.map(shares);
  const all = values.flatMap((v) => [v.lora, v.full]).filter((v): v is number => v !== null && v > 0);
  const useLog = all.length > 0 && Math.min(...all) < 0.1;
  const device = devices.join(', ') || 'unknown device';
  const title = 'Efficiency per training run: LoRA vs full fine-tuning';
  const config: ChartConfiguration<'bar', (number | null)[], string[]> = {
    type: 'bar',
    data: {
      labels: shown.map((m) => [...wrapLabel(m.label, 18), `full/LoRA ${formatRatio(m.ratio)}`]),
      datasets: methodBarDatasets((method) => values.map((v) => v[method])),
    },
    options: {
      layout: BAR_CHART_LAYOUT,
      plugins: {
        ...headerPlugins(
          title,
          `Mean per run on ${device}; bars scaled to the larger of the pair${useLog ? ' (log scale)' : ''}, labels give measured values`,
        ),
        faceoffValueLabels: {
          fontSize: FONT_SIZES.valueLabel,
          labels: COMPARED_METHODS.map((method) => shown.map((m) => formatQuantity(m[method].mean, m.unit))),
        },
      },
      scales: {
        x: { ticks: { ...tickStyle, autoSkip: false, maxRotation: 0 }, grid: { display: false } },
        y: useLog
          ? {
              type: 'logarithmic',
              ...logBounds(all),
              title: axisTitle('share of the larger value (log)'),
              ticks: { ...tickStyle, callback: decadeTicks((v) => `${v}`) },
              grid: gridStyle,
            }
          : {
              min: 0,
              max: 1.15,
              title: axisTitle('share of the larger value'),
              ticks: { ...tickStyle, stepSize: 0.25 },
              grid: gridStyle,
            },
      },
    },
    plugins: [valueLabelsPlugin],
  };
  return {
    filename: 'efficiency.png',
    title,
    altText: describe(shown, device),
    size: CHART_SIZE,
    config: config as unknown as ChartConfiguration,
  };
}
