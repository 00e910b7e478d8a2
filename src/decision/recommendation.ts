import { adjustmentsFor } from './adjustments';
import type { Answers, QuestionId } from './answers';
import { type ScoreResult, scoreOptions } from './scoring';

export type Recommendation = 'lora' | 'full' | 'hybrid';

export const RECOMMENDATION_LABELS: Record<Recommendation, string> = {
  lora: 'LoRA',
  full: 'Full fine-tuning',
  hybrid: 'Hybrid: start with LoRA, upgrade to full fine-tuning only if the gap is critical',
};

export interface Driver {
  question: QuestionId;
  reasons: string[];
  /** Change of (LoRA total - full total) this answer causes; positive favours LoRA. */
  effect: number;
}

export interface Verdict {
  recommendation: Recommendation;
  scores: ScoreResult;
  margin: number;
  drivers: Driver[];
  /** Answers that point to full fine-tuning in the framework's decision matrix. */
  fullSignals: string[];
}

/** Below this margin (on a 10-point scale) the scores do not separate the options clearly. */
export const CLEAR_MARGIN = 1.5;

function fullFineTuningSignals(answers: Answers): string[] {
  const signals: string[] = [];
  if (answers.performance?.value === 'no') signals.push('performance is critical (95% is not enough)');
  if (answers.behaviour?.value === 'yes') signals.push('the model needs a fundamental behaviour change');
  if (answers.task?.value === 'creative_writing')
    signals.push('creative writing needs a new generation style');
  if (answers.budget?.bucket === 'over_10k') signals.push('the budget is over $10k');
  return signals;
}

/** Scores the options, ranks the answers by how much they moved the margin, and picks a recommendation. */
export function decide(answers: Answers): Verdict {
  const adjustments = adjustmentsFor(answers);
  const scores = scoreOptions(adjustments);
  const margin = scores.loraTotal - scores.fullTotal;
  const questions = [...new Set(adjustments.map((a) => a.question))];
  const drivers = questions
    .map((question) => {
      const without = scoreOptions(adjustments.filter((a) => a.question !== question));
      return {
        question,
        reasons: adjustments.filter((a) => a.question === question).map((a) => a.reason),
        effect: margin - (without.loraTotal - without.fullTotal),
      };
    })
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
  const fullSignals = fullFineTuningSignals(answers);
  let recommendation: Recommendation;
  if (margin < 0) recommendation = 'full';
  else if (margin < CLEAR_MARGIN || fullSignals.length >= 2) recommendation = 'hybrid';
  else recommendation = 'lora';
  return { recommendation, scores, margin, drivers, fullSignals };
}
