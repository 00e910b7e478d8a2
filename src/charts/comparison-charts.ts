import type { ComparisonAnalysis } from '../analysis/comparison-analysis';
import { forgettingPoints } from '../analysis/forgetting';
import { qualityPerHour } from '../analysis/quality-per-hour';
import type { ImageAttachment } from '../chat/replies';
import { compareCosts } from '../cost/cost-model';
import type { ChartSpec } from './chart-spec';
import { adaptationChart } from './configs/adaptation';
import { costChart } from './configs/cost';
import { efficiencyChart } from './configs/efficiency';
import { forgettingChart } from './configs/forgetting';
import { lossCurvesChart } from './configs/loss-curves';
import { qualityPerHourChart } from './configs/quality-per-hour';
import { taskMetricsChart } from './configs/task-metrics';
import { type ChartRenderer, chartRenderer } from './renderer';

/** Loss curves per task are drawn for at most this many tasks (a suite's first ones). */
export const MAX_LOSS_CHARTS = 5;

/**
 * The charts of a finished comparison: loss curves per task, quality per hour and learning vs
 * forgetting where measured, task metrics, efficiency, cost.
 */
export function comparisonChartSpecs(analysis: ComparisonAnalysis): ChartSpec[] {
  const specs: (ChartSpec | undefined)[] = [
    ...analysis.tasks.slice(0, MAX_LOSS_CHARTS).map(lossCurvesChart),
    ...analysis.tasks.slice(0, MAX_LOSS_CHARTS).map((task) => {
      const quality = qualityPerHour(task);
      return quality ? qualityPerHourChart(quality) : undefined;
    }),
    ...analysis.tasks
      .slice(0, MAX_LOSS_CHARTS)
      .map((task) => forgettingChart(task.task, forgettingPoints(task))),
    taskMetricsChart(analysis.tasks),
    ...(analysis.adaptation ? [adaptationChart(analysis.adaptation)] : []),
    efficiencyChart(analysis.efficiency, analysis.devices),
  ];
  if (analysis.costInputs) {
    const kind = analysis.compute.hoursKind === 'GPU-hours' ? 'GPU-hours' : 'CPU device-hours';
    specs.push(
      costChart(compareCosts(analysis.costInputs), {
        basis: [
          `Measured ${kind} and artifact sizes x ${analysis.rates.source}`,
          'Engineering time and infrastructure not included',
        ],
        filename: 'measured-cost.png',
      }),
    );
  }
  return specs.filter((s): s is ChartSpec => !!s);
}

/** Renders every chart of a comparison; one failing chart does not stop the others. */
export async function renderComparisonCharts(
  analysis: ComparisonAnalysis,
  renderer: ChartRenderer = chartRenderer,
): Promise<ImageAttachment[]> {
  const images: ImageAttachment[] = [];
  for (const spec of comparisonChartSpecs(analysis)) images.push(await renderer.render(spec));
  return images;
}
