import type { Answers } from './answers';
import type { MeasuredScores } from './measured-scores';

export const CRITERIA = ['budget', 'performance', 'speed', 'flexibility', 'maintenance'] as const;
export type Criterion = (typeof CRITERIA)[number];

export interface CriterionBase {
  label: string;
  weight: number;
  lora: number;
  full: number;
}

/** The framework's weighted scoring system: weights sum to 1, scores 1-10 per option. */
export const BASE_SCORES: Record<Criterion, CriterionBase> = {
  budget: { label: 'Budget', weight: 0.25, lora: 9, full: 1 },
  performance: { label: 'Performance', weight: 0.3, lora: 8, full: 10 },
  speed: { label: 'Speed', weight: 0.2, lora: 10, full: 3 },
  flexibility: { label: 'Flexibility', weight: 0.15, lora: 10, full: 5 },
  maintenance: { label: 'Maintenance', weight: 0.1, lora: 9, full: 4 },
};

/** One explainable change an answer makes: a weight multiplier or a score shift for one option. */
export type Adjustment =
  | { question: keyof Answers; criterion: Criterion; kind: 'weight'; factor: number; reason: string }
  | {
      question: keyof Answers;
      criterion: Criterion;
      kind: 'score';
      option: 'lora' | 'full';
      delta: number;
      reason: string;
    };

export interface CriterionScore extends CriterionBase {
  criterion: Criterion;
  /** Where the 1-10 scores come from: the framework's table (adjusted by answers) or measurements. */
  source: 'framework' | 'measured';
  /** For measured scores: what was measured, one line. */
  basis?: string;
  baseWeight: number;
  baseLora: number;
  baseFull: number;
  weightedLora: number;
  weightedFull: number;
}

export interface ScoreResult {
  rows: CriterionScore[];
  loraTotal: number;
  fullTotal: number;
  adjustments: Adjustment[];
}

const clampScore = (value: number) => Math.min(10, Math.max(0, value));

/**
 * Applies adjustments to the base table: weight factors multiply, then weights are renormalised to
 * sum to 1; score deltas add (clamped to 0-10). With no adjustments the totals are the framework's own.
 * A criterion with a measured score takes it instead of the table's (answers still set its weight;
 * their score shifts, which stand in for what was not measured, do not apply to it).
 */
export function scoreOptions(adjustments: Adjustment[], measured: MeasuredScores = {}): ScoreResult {
  const raw = CRITERIA.map((criterion) => {
    const base = BASE_SCORES[criterion];
    const evidence = measured[criterion];
    let weight = base.weight;
    let lora = evidence?.lora ?? base.lora;
    let full = evidence?.full ?? base.full;
    for (const a of adjustments) {
      if (a.criterion !== criterion) continue;
      if (a.kind === 'weight') weight *= a.factor;
      else if (evidence) continue;
      else if (a.option === 'lora') lora = clampScore(lora + a.delta);
      else full = clampScore(full + a.delta);
    }
    return { criterion, base, weight, lora, full, evidence };
  });
  const weightSum = raw.reduce((sum, r) => sum + r.weight, 0);
  const rows = raw.map(({ criterion, base, weight, lora, full, evidence }) => {
    const normalised = weight / weightSum;
    return {
      criterion,
      source: evidence ? ('measured' as const) : ('framework' as const),
      ...(evidence ? { basis: evidence.basis } : {}),
      label: base.label,
      baseWeight: base.weight,
      baseLora: base.lora,
      baseFull: base.full,
      weight: normalised,
      lora,
      full,
      weightedLora: normalised * lora,
      weightedFull: normalised * full,
    };
  });
  return {
    rows,
    loraTotal: rows.reduce((sum, r) => sum + r.weightedLora, 0),
    fullTotal: rows.reduce((sum, r) => sum + r.weightedFull, 0),
    adjustments: adjustments.filter((a) => a.kind === 'weight' || !measured[a.criterion]),
  };
}
