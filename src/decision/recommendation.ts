import { adjustmentsFor } from './adjustments';
import type { Answers, QuestionId } from './answers';
import type { MeasuredEvidence } from './evidence';
import { type MatrixReading, type MatrixRule, readMatrix } from './matrix';
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
  /** The decision matrix's entries these answers meet, on each side. */
  matrix: MatrixReading;
  /** Which rule gave the recommendation, in plain words. */
  rule: string;
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

/** A measured share above the bar answers "is 95% enough?" with data; one below it is a reason. */
function measuredMatrix(matrix: MatrixReading, bar: BarCheck | undefined): MatrixReading {
  if (bar?.outcome === 'above') {
    const drop = (rules: MatrixRule[]) => rules.filter((r) => r.id !== 'performance_critical');
    return { lora: matrix.lora, full: drop(matrix.full), reasons: drop(matrix.reasons) };
  }
  if (bar?.outcome !== 'below') return matrix;
  const below: MatrixRule = {
    id: 'measured_below_bar',
    side: 'full',
    kind: 'reason',
    quote: 'Upgrade to full FT only if critical gap exists',
    says: () => `measured: LoRA is below your ${percent(bar.threshold)} bar`,
    holds: () => true,
  };
  return { lora: matrix.lora, full: [...matrix.full, below], reasons: [...matrix.reasons, below] };
}

/**
 * The framework's rules, in order: scores that favour full fine-tuning decide for it; without a
 * reason of quality for full fine-tuning (performance, behaviour, domain shift, creativity), LoRA
 * unless the scores are close (then the hybrid plan); with one, full fine-tuning when the matrix
 * lists more for it than for LoRA, the hybrid plan (start with LoRA, upgrade if the gap is
 * critical) otherwise.
 */
function recommend(margin: number, matrix: MatrixReading): { recommendation: Recommendation; rule: string } {
  const counts = `${matrix.full.length} of the decision matrix's entries for full fine-tuning against ${matrix.lora.length} for LoRA`;
  if (margin < 0) return { recommendation: 'full', rule: 'the weighted scores favour full fine-tuning' };
  if (matrix.reasons.length === 0) {
    if (margin < CLEAR_MARGIN)
      return {
        recommendation: 'hybrid',
        rule: `no reason of quality points to full fine-tuning, but the scores are within ${CLEAR_MARGIN} points`,
      };
    return {
      recommendation: 'lora',
      rule: 'no reason of quality points to full fine-tuning, and LoRA leads the scores clearly',
    };
  }
  if (matrix.full.length > matrix.lora.length)
    return { recommendation: 'full', rule: `a reason of quality points to full fine-tuning, and ${counts}` };
  return {
    recommendation: 'hybrid',
    rule: `a reason of quality points to full fine-tuning, but ${counts}: start with LoRA and upgrade only if the gap is critical`,
  };
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
  const matrix = measuredMatrix(readMatrix(answers), bar);
  const { recommendation, rule } = recommend(margin, matrix);
  return {
    recommendation,
    scores,
    margin,
    drivers,
    fullSignals: matrix.full.map((r) => r.says(answers)),
    matrix,
    rule,
    ...(evidence ? { evidence } : {}),
    ...(bar ? { bar } : {}),
  };
}
