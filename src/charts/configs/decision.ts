import type { ChartConfiguration } from 'chart.js';
import { RECOMMENDATION_LABELS, type Verdict } from '../../decision/recommendation';
import type { ScoreResult } from '../../decision/scoring';
import type { ChartSpec } from '../chart-spec';
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

/** What the decision chart reads of a verdict: plain data, so it can be sent to a chart worker. */
export interface DecisionChartInput {
  recommendation: Verdict['recommendation'];
  scores: Pick<ScoreResult, 'rows' | 'loraTotal' | 'fullTotal'>;
  evidence?: { jobId: string };
}

/** The parts of a verdict the decision chart draws (a verdict also holds the matrix's text builders). */
export function decisionChartInput(verdict: DecisionChartInput): DecisionChartInput {
  const { rows, loraTotal, fullTotal } = verdict.scores;
  return {
    recommendation: verdict.recommendation,
    scores: { rows, loraTotal, fullTotal },
    ...(verdict.evidence ? { evidence: { jobId: verdict.evidence.jobId } } : {}),
  };
}

/** The weighted criteria scores (weight x score) of both options from a decision's verdict. */
export function decisionChart(verdict: DecisionChartInput): ChartSpec {
  const { rows, loraTotal, fullTotal } = verdict.scores;
  const weighted = { lora: rows.map((r) => r.weightedLora), full: rows.map((r) => r.weightedFull) };
  const top = Math.max(...weighted.lora, ...weighted.full, 0.1);
  const title = `Weighted scores: LoRA ${loraTotal.toFixed(1)} vs Full FT ${fullTotal.toFixed(1)} (of 10)`;
  const recommendation = RECOMMENDATION_LABELS[verdict.recommendation];
  const measured = rows.some((r) => r.source === 'measured');
  const config: ChartConfiguration<'bar', number[], string[]> = {
    type: 'bar',
    data: {
      labels: rows.map((r) => [
        r.label,
        `weight ${(r.weight * 100).toFixed(0)}%`,
        ...(measured ? [r.source === 'measured' ? 'measured' : 'framework default'] : []),
      ]),
      datasets: methodBarDatasets((method) => weighted[method]),
    },
    options: {
      layout: BAR_CHART_LAYOUT,
      plugins: {
        ...headerPlugins(title, [
          measured
            ? `Bar = weight x score (0-10); scores under "measured" come from comparison ${verdict.evidence?.jobId ?? ''}`
            : `Bar = weight x score (0-10) per criterion; totals are the sums`,
          `Recommendation: ${recommendation.split(':')[0]}`,
        ]),
        faceoffValueLabels: {
          fontSize: FONT_SIZES.valueLabel,
          labels: COMPARED_METHODS.map((method) =>
            rows.map((r) => `${(method === 'lora' ? r.weightedLora : r.weightedFull).toFixed(2)}`),
          ),
        },
      },
      scales: {
        x: { ticks: { ...tickStyle, autoSkip: false, maxRotation: 0 }, grid: { display: false } },
        y: {
          min: 0,
          suggestedMax: top * 1.15,
          title: axisTitle('weighted score (points)'),
          ticks: tickStyle,
          grid: gridStyle,
        },
      },
    },
    plugins: [valueLabelsPlugin],
  };
  const parts = rows.map(
    (r) =>
      `${r.label} (weight ${(r.weight * 100).toFixed(0)}%${r.source === 'measured' ? ', measured' : ''}): LoRA ${r.lora} -> ${r.weightedLora.toFixed(2)}, Full FT ${r.full} -> ${r.weightedFull.toFixed(2)}`,
  );
  return {
    filename: 'decision-scores.png',
    title,
    altText: `Bar chart of the weighted decision criteria for LoRA and full fine-tuning. ${parts.join('; ')}. Totals: LoRA ${loraTotal.toFixed(2)}, full fine-tuning ${fullTotal.toFixed(2)} out of 10. Recommendation: ${recommendation}.`,
    size: CHART_SIZE,
    config: config as unknown as ChartConfiguration,
  };
}
