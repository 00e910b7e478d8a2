import type { RunSummary } from './run-summary';

export interface StepValue {
  step: number;
  value: number;
}

/** One step of a curve aggregated across seeds. */
export interface CurvePoint {
  step: number;
  mean: number;
  min: number;
  max: number;
  /** Seeds that recorded this step. */
  n: number;
}

export const trainLossCurve = (run: RunSummary): StepValue[] =>
  run.train_curve.filter((p) => Number.isFinite(p.loss)).map((p) => ({ step: p.step, value: p.loss }));

export const evalLossCurve = (run: RunSummary): StepValue[] =>
  run.eval_curve
    .filter((p) => Number.isFinite(p.eval_loss))
    .map((p) => ({ step: p.step, value: p.eval_loss }));

/** Mean, minimum and maximum per step over several seeds' curves (steps any seed recorded). */
export function aggregateCurves(curves: readonly StepValue[][]): CurvePoint[] {
  const byStep = new Map<number, number[]>();
  for (const curve of curves) {
    for (const { step, value } of curve) byStep.set(step, [...(byStep.get(step) ?? []), value]);
  }
  return [...byStep.entries()]
    .sort(([a], [b]) => a - b)
    .map(([step, values]) => ({
      step,
      mean: values.reduce((sum, v) => sum + v, 0) / values.length,
      min: Math.min(...values),
      max: Math.max(...values),
      n: values.length,
    }));
}
