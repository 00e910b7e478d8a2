/**
 * Learning rates a workspace has measured: when a sweep finishes, the chosen rate per method is
 * recorded for the model's size bucket, and later comparisons of the workspace centre their grid
 * on it instead of the defaults file (which, above the tiny bucket, holds a rule of thumb).
 */
import { selectArms } from '../analysis/arms';
import type { RunLike } from '../analysis/run-summary';
import type { LearningRateOptimumRecord } from '../persistence/learning-rate-optimum-repository';
import type { Method } from '../tasks/methods';
import type { ComparisonPlan } from './plan';

export interface MeasuredOptimum {
  method: string;
  learningRate: number;
  validationLoss: number;
  atGridEdge: boolean;
}

/**
 * Per method, the learning rate the finished sweep chose on validation loss (over several tasks,
 * the lower median of their choices). Nothing when the job did not sweep learning rates.
 */
export function sweepOptima(plan: ComparisonPlan | undefined, runs: RunLike[]): MeasuredOptimum[] {
  if (!plan?.lrTuned) return [];
  const arms = selectArms(runs).filter((a) => a.chosenLr !== undefined && a.tried.length > 1);
  const methods = [...new Set(arms.map((a) => a.method))];
  return methods.flatMap((method) => {
    const chosen = arms
      .filter((a) => a.method === method)
      .sort((a, b) => (a.chosenLr as number) - (b.chosenLr as number));
    const middle = chosen[Math.floor((chosen.length - 1) / 2)];
    const best = middle?.tried.find(
      (t) => t.learningRate === middle.chosenLr && t.rank === middle.chosenRank,
    );
    if (!middle || best?.meanValLoss === undefined) return [];
    return [
      {
        method,
        learningRate: middle.chosenLr as number,
        validationLoss: best.meanValLoss,
        atGridEdge: middle.lrAtEdge,
      },
    ];
  });
}

/** The recorded optima as the planner's `measured` argument. */
export function measuredCentres(records: LearningRateOptimumRecord[]): Partial<Record<Method, number>> {
  return Object.fromEntries(records.map((r) => [r.method, r.learningRate])) as Partial<
    Record<Method, number>
  >;
}
