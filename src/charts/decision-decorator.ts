import type { Reply } from '../chat/replies';
import type { DecisionDecorator } from '../conversation/questionnaire-runner';
import { decisionChart } from './configs/decision';
import { type ChartRenderer, chartRenderer } from './renderer';

/** Adds the weighted-score chart to a finished questionnaire's replies. */
export function createDecisionDecorator(renderer: ChartRenderer = chartRenderer): DecisionDecorator {
  return async (_answers, verdict): Promise<Reply[]> => {
    try {
      const image = await renderer.render(decisionChart(verdict));
      return [
        { text: "*Weighted scores* (the framework's criteria, adjusted by your answers)", images: [image] },
      ];
    } catch (e) {
      return [
        {
          text: `The score chart could not be drawn (${(e as Error).message}); the scores above are complete.`,
        },
      ];
    }
  };
}
