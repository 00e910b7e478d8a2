import { evalLossCurve, type StepValue, trainLossCurve } from './curves';
import type { RunSummary } from './run-summary';
import { type SampleSummary, summarize } from './statistics';

/** Share of the final improvement that counts as "reached the plateau". */
export const PLATEAU_SHARE = 0.95;

/**
 * Steps to reach 95% of the final eval-loss improvement (the plateau / adaptation-speed measure).
 *
 * Given a run's validation curve (step_i, L_i) sorted by step and a starting loss L_start:
 *   improvement = L_start - L_last           (L_last: the last validation loss)
 *   target      = L_start - 0.95 x improvement
 *   answer      = the smallest validation step_i with L_i <= target.
 * L_start is the validation loss at step 0 when the curve has one; otherwise the caller's `start`
 * (see `plateauStart`: the first training-batch loss, computed before the first update); otherwise
 * the first validation point. Undefined when fewer than two points exist or the loss did not
 * improve (L_last >= L_start). The answer's resolution is the evaluation interval: "step 8" with
 * evaluations every 8 steps means "within the first 8 steps".
 */
export function stepsToPlateau(
  curve: readonly StepValue[],
  start?: StepValue,
  share = PLATEAU_SHARE,
): number | undefined {
  const points = [...curve].filter((p) => Number.isFinite(p.value)).sort((a, b) => a.step - b.step);
  const atZero = points[0]?.step === 0 ? points[0] : undefined;
  const origin = atZero ?? (start && Number.isFinite(start.value) ? start : points[0]);
  const last = points.at(-1);
  if (!origin || !last || (origin === points[0] && points.length < 2)) return undefined;
  const improvement = origin.value - last.value;
  if (!(improvement > 0)) return undefined;
  const target = origin.value - share * improvement;
  return points.find((p) => p.step > origin.step && p.value <= target)?.step;
}

/**
 * The loss a run started from when its validation curve has no step-0 point: its first training
 * loss, when recorded before the first validation point (the trainer logs step 1's loss, computed
 * on that batch before the optimizer's first update).
 */
export function plateauStart(run: RunSummary): StepValue | undefined {
  const firstTrain = trainLossCurve(run)[0];
  const firstEval = evalLossCurve(run)[0];
  if (!firstTrain || (firstEval && firstTrain.step > firstEval.step)) return undefined;
  return { step: firstTrain.step - 1, value: firstTrain.value };
}

export interface MethodPlateau {
  /** Per seed; `steps` undefined where the run's loss did not improve. */
  perSeed: { seed: number; steps: number | undefined }[];
  /** Over the seeds with a defined value. */
  summary: SampleSummary;
}

/** Steps to plateau of each run of one method. */
export function methodPlateau(runs: readonly RunSummary[]): MethodPlateau {
  const perSeed = runs.map((run) => ({
    seed: run.seed,
    steps: stepsToPlateau(evalLossCurve(run), plateauStart(run)),
  }));
  return { perSeed, summary: summarize(perSeed.flatMap((p) => (p.steps === undefined ? [] : [p.steps]))) };
}
