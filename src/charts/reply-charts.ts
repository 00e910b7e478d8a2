/**
 * The one way charts reach the core: a port the composition root injects into the engine (decide's
 * score chart, cost's chart) and the job system (a comparison's charts in results and announcements).
 * Callers handle a failed render by saying so next to tables that stay complete.
 */
import type { CombinationAnalysis } from '../analysis/combination';
import { analyzeComparison } from '../analysis/comparison-analysis';
import type { ComputeRates } from '../analysis/measured-cost';
import type { RunLike } from '../analysis/run-summary';
import type { ScalingAnalysis } from '../analysis/scaling';
import type { ImageAttachment } from '../chat/replies';
import type { CostComparison } from '../cost/cost-model';
import { renderComparisonCharts } from './comparison-charts';
import { combinationChart } from './configs/combination';
import { costChart } from './configs/cost';
import { type DecisionChartInput, decisionChart } from './configs/decision';
import { scalingGapChart, scalingRatiosChart } from './configs/scaling';
import { type ChartRenderer, chartRenderer } from './renderer';

export interface ReplyCharts {
  /** The weighted-score chart of a finished questionnaire. */
  decision(verdict: DecisionChartInput): Promise<ImageAttachment>;
  /** Every chart of a comparison's runs (loss curves, task metrics, efficiency, measured cost). */
  comparison(input: { jobId: string; runs: unknown[]; rates?: ComputeRates }): Promise<ImageAttachment[]>;
  /** The cost chart of a cost-model comparison; `basis` says what the figures rest on. */
  cost(cost: CostComparison, basis: string[]): Promise<ImageAttachment>;
  /** A scaling study's charts: the gap by model size, and what full fine-tuning costs over LoRA. */
  scaling(analysis: ScalingAnalysis): Promise<ImageAttachment[]>;
  /** A combine job's chart: each variant's scores per skill and on the combined set. */
  combination(analysis: CombinationAnalysis): Promise<ImageAttachment[]>;
}

/** The charts the job system draws: a comparison's, a scaling study's and a combine job's. */
export type JobCharts = Pick<ReplyCharts, 'comparison' | 'scaling'> &
  Partial<Pick<ReplyCharts, 'combination'>>;

/** The charts drawn with chart.js on one renderer. */
export function createReplyCharts(renderer: ChartRenderer = chartRenderer): ReplyCharts {
  return {
    decision: (verdict) => renderer.render(decisionChart(verdict)),
    comparison: ({ runs, rates }) =>
      renderComparisonCharts(analyzeComparison(runs as RunLike[], rates ? { rates } : {}), renderer),
    cost: (cost, basis) => renderer.render(costChart(cost, { basis })),
    scaling: async (analysis) => {
      const images: ImageAttachment[] = [];
      for (const spec of [scalingGapChart(analysis), scalingRatiosChart(analysis)])
        if (spec) images.push(await renderer.render(spec));
      return images;
    },
    combination: async (analysis) => {
      const spec = combinationChart(analysis);
      return spec ? [await renderer.render(spec)] : [];
    },
  };
}
