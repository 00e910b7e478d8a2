import type { TaskId } from '../tasks/profiles';

export type BudgetBucket = 'under_1k' | '1k_10k' | 'over_10k' | 'unknown';
export type TimelineBucket = 'under_1w' | '1w_2w' | '2w_1m' | 'over_1m' | 'unknown';
export type YesNoAnswer = 'yes' | 'no' | 'unsure';
export type UpdateFrequency = 'weekly' | 'monthly' | 'quarterly' | 'rarely' | 'unknown';
export type TeamBucket = 'small' | 'large' | 'unknown';
export type ModelBucket = 'under_3b' | '3b_20b' | '20b_60b' | 'over_60b' | 'unknown';
export type Stage = 'prototype' | 'production' | 'unsure';

/** Normalised answers; `label` is what the user is shown back ("$5,000", "10 days"). */
export interface Answers {
  budget?: { bucket: BudgetBucket; usd?: number; low?: number; unlimited?: boolean; label: string };
  /** `deadline`: the date a deadline named (ISO day), when one was given. */
  timeline?: { bucket: TimelineBucket; days?: number; deadline?: string; label: string };
  /** Is 95% of full fine-tuning's quality acceptable; `threshold` when a share was given (0.97). */
  performance?: { value: YesNoAnswer; threshold?: number; label: string };
  behaviour?: { value: YesNoAnswer; label: string };
  variants?: { value: YesNoAnswer; label: string };
  /** How many variants, when several are needed (asked after a yes that gave no number). */
  variantCount?: { count: number; label: string };
  updates?: { value: UpdateFrequency; days?: number; label: string };
  /** `closest`: no profile is the task itself; the nearest one was taken. */
  task?: { value: TaskId | 'other'; closest?: boolean; label: string };
  team?: { bucket: TeamBucket; size?: number; label: string };
  /** `paramsB`: all parameters; `activeB`: those used per token (mixtures of experts). */
  model?: { bucket: ModelBucket; paramsB?: number; activeB?: number; label: string };
  /** Is the task's domain a major shift from the base model's pre-training data. */
  domain?: { value: YesNoAnswer; label: string };
  stage?: { value: Stage; label: string };
}

export type QuestionId = keyof Answers;

export function budgetBucket(usd: number, bound: 'about' | 'under' | 'over'): BudgetBucket {
  if (bound === 'under' ? usd <= 1000 : usd < 1000) return 'under_1k';
  if (bound === 'over' ? usd >= 10000 : usd > 10000) return 'over_10k';
  return '1k_10k';
}

export function timelineBucket(days: number): TimelineBucket {
  if (days <= 7) return 'under_1w';
  if (days <= 14) return '1w_2w';
  if (days <= 31) return '2w_1m';
  return 'over_1m';
}

export function modelBucket(paramsB: number): ModelBucket {
  if (paramsB < 3) return 'under_3b';
  if (paramsB < 20) return '3b_20b';
  if (paramsB < 60) return '20b_60b';
  return 'over_60b';
}

/** Days between updates as the question's classes: a week and a half or less is weekly. */
export function updateFrequency(days: number): UpdateFrequency {
  if (days <= 10) return 'weekly';
  if (days <= 45) return 'monthly';
  if (days <= 200) return 'quarterly';
  return 'rarely';
}

export type AnswerOf<K extends QuestionId> = NonNullable<Answers[K]>;
