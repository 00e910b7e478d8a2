import { adjustmentsFor } from './adjustments';
import type { Answers, QuestionId } from './answers';
import type { MeasuredEvidence } from './evidence';
import { measuredScores, percent } from './measured-scores';
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

/** LoRA's measured share of full fine-tuning's quality against the share the team accepts. */
export interface BarCheck {
  /** The accepted share, 0-1. */
  threshold: number;
  outcome: 'above' | 'below' | 'straddles' | 'single_seed';
  /** One sentence a lead can act on. */
  sentence: string;
}

export interface Verdict {
  recommendation: Recommendation;
  scores: ScoreResult;
  margin: number;
  drivers: Driver[];
  /** Answers (and measurements) that point to full fine-tuning in the framework's decision matrix. */
  fullSignals: string[];
  /** The comparison whose measurements scored the measured criteria. */
  evidence?: MeasuredEvidence;
  bar?: BarCheck;
}

/** The share of full fine-tuning's quality the team accepts: stated, or 95% (the framework's bar). */
export function acceptedShare(answers: Answers): number {
  return answers.performance?.threshold ?? (answers.performance?.value === 'no' ? 0.99 : 0.95);
}

/** The measured share and its 95% interval against the bar, in words. */
export function checkBar(evidence: MeasuredEvidence, threshold: number): BarCheck | undefined {
  const { mean, ci, halfWidth } = evidence.share;
  if (mean === undefined) return undefined;
  const reached = `LoRA reached ${percent(mean)}${halfWidth !== undefined ? ` ± ${percent(halfWidth)}` : ''} of full fine-tuning's ${evidence.metric} on your data (job ${evidence.jobId}, ${evidence.seeds} paired seed${evidence.seeds === 1 ? '' : 's'})`;
  const bar = `your ${percent(threshold)} bar`;
  if (!ci) {
    return {
      threshold,
      outcome: 'single_seed',
      sentence: `${reached}: ${mean >= threshold ? 'above' : 'below'} ${bar} on one seed, with no interval; run more seeds before relying on it.`,
    };
  }
  if (ci.low >= threshold)
    return { threshold, outcome: 'above', sentence: `${reached}: above ${bar}, interval included.` };
  if (ci.high < threshold)
    return { threshold, outcome: 'below', sentence: `${reached}: below ${bar}, interval included.` };
  return {
    threshold,
    outcome: 'straddles',
    sentence: `${reached}: the interval straddles ${bar}; more seeds would tell whether LoRA clears it.`,
  };
}

/** Below this margin (on a 10-point scale) the scores do not separate the options clearly. */
export const CLEAR_MARGIN = 1.5;

function fullFineTuningSignals(answers: Answers): string[] {
  const signals: string[] = [];
  if (answers.performance?.value === 'no')
    signals.push(
      `performance is critical (${percent(acceptedShare(answers))} of full fine-tuning is needed)`,
    );
  if (answers.behaviour?.value === 'yes') signals.push('the model needs a fundamental behaviour change');
  if (answers.task?.value === 'creative_writing')
    signals.push('creative writing needs a new generation style');
  if (answers.budget?.bucket === 'over_10k') signals.push('the budget is over $10k');
  return signals;
}

/**
 * Scores the options, ranks the answers by how much they moved the margin, and picks a
 * recommendation. With `evidence`, the criteria it measured are scored from it and LoRA's measured
 * share is checked against the share the team accepts.
 */
export function decide(answers: Answers, evidence?: MeasuredEvidence): Verdict {
  const adjustments = adjustmentsFor(answers);
  const measured = evidence ? measuredScores(evidence, answers) : {};
  const scores = scoreOptions(adjustments, measured);
  const margin = scores.loraTotal - scores.fullTotal;
  const questions = [...new Set(adjustments.map((a) => a.question))];
  const drivers = questions
    .map((question) => {
      const without = scoreOptions(
        adjustments.filter((a) => a.question !== question),
        measured,
      );
      return {
        question,
        reasons: adjustments.filter((a) => a.question === question).map((a) => a.reason),
        effect: margin - (without.loraTotal - without.fullTotal),
      };
    })
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
  const bar = evidence ? checkBar(evidence, acceptedShare(answers)) : undefined;
  let fullSignals = fullFineTuningSignals(answers);
  // A measured share above the bar answers "is 95% enough?" with data; one below it is a signal.
  if (bar?.outcome === 'above') fullSignals = fullSignals.filter((s) => !s.startsWith('performance'));
  if (bar?.outcome === 'below')
    fullSignals.push(`measured: LoRA is below your ${percent(bar.threshold)} bar`);
  let recommendation: Recommendation;
  if (margin < 0) recommendation = 'full';
  else if (margin < CLEAR_MARGIN || fullSignals.length >= 2) recommendation = 'hybrid';
  else recommendation = 'lora';
  return {
    recommendation,
    scores,
    margin,
    drivers,
    fullSignals,
    ...(evidence ? { evidence } : {}),
    ...(bar ? { bar } : {}),
  };
}
