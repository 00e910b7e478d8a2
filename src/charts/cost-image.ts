import type { ImageAttachment } from '../chat/replies';
import type { CostComparison } from '../cost/cost-model';
import { costChart } from './configs/cost';
import { type ChartRenderer, chartRenderer } from './renderer';

/**
 * The cost chart of a cost-model comparison, rendered synchronously for the synchronous cost
 * reply; undefined when rendering fails (the reply's tables still carry every figure).
 */
export function costChartImage(
  cost: CostComparison,
  basis: string[],
  renderer: ChartRenderer = chartRenderer,
): ImageAttachment | undefined {
  try {
    return renderer.renderSync(costChart(cost, { basis }));
  } catch {
    return undefined;
  }
}
