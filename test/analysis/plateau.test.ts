import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { methodPlateau, plateauStart, stepsToPlateau } from '../../src/analysis/plateau';
import { runSummary } from './run-builders';

const curve = (points: [number, number][]) => points.map(([step, value]) => ({ step, value }));

describe('stepsToPlateau (95% of the eval-loss improvement)', () => {
  const evalCurve = curve([
    [10, 2.0],
    [20, 1.2],
    [30, 1.05],
    [40, 1.0],
  ]);
  it('from the first validation point: target 2.0 - 0.95 x 1.0 = 1.05 -> step 30', () => {
    assert.equal(stepsToPlateau(evalCurve), 30);
  });
  it('from a step-0 start of 5.0: target 5.0 - 0.95 x 4.0 = 1.2 -> step 20', () => {
    assert.equal(stepsToPlateau(evalCurve, { step: 0, value: 5 }), 20);
  });
  it('a step-0 validation point wins over the given start', () => {
    assert.equal(
      stepsToPlateau(
        curve([
          [0, 2.0],
          [10, 1.5],
          [20, 1.0],
        ]),
        { step: 0, value: 9 },
      ),
      20,
    );
  });
  it('undefined when the loss did not improve or there is one point only', () => {
    assert.equal(
      stepsToPlateau(
        curve([
          [10, 1],
          [20, 1.2],
        ]),
      ),
      undefined,
    );
    assert.equal(stepsToPlateau(curve([[10, 1]])), undefined);
    assert.equal(stepsToPlateau([]), undefined);
  });
  it('one validation point after a training-loss start is enough', () => {
    assert.equal(stepsToPlateau(curve([[10, 1]]), { step: 0, value: 3 }), 10);
  });
});

describe('plateauStart and methodPlateau', () => {
  const run = (seed: number, evalPoints: [number, number][]) =>
    runSummary({
      task: 't',
      method: 'lora',
      seed,
      train_curve: [
        { step: 1, loss: 4 },
        { step: 2, loss: 3 },
      ],
      eval_curve: evalPoints.map(([step, eval_loss]) => ({ step, eval_loss })),
    });
  it('the first training loss (before any update) stands in for step 0', () => {
    assert.deepEqual(plateauStart(run(0, [[10, 2]])), { step: 0, value: 4 });
  });
  it('summarises the per-seed steps; a non-improving seed is left out, not counted as zero', () => {
    // seed 0: start 4, last 1 -> target 1.15 -> step 20; seed 1: target 4 - 0.95 x 2.5 = 1.625 -> step 10
    const p = methodPlateau([
      run(0, [
        [10, 2],
        [20, 1.1],
        [30, 1],
      ]),
      run(1, [
        [10, 1.6],
        [20, 1.55],
        [30, 1.5],
      ]),
      runSummary({
        task: 't',
        method: 'lora',
        seed: 2,
        eval_curve: [
          { step: 10, eval_loss: 1 },
          { step: 20, eval_loss: 2 },
        ],
      }),
    ]);
    assert.deepEqual(
      p.perSeed.map((s) => s.steps),
      [20, 10, undefined],
    );
    assert.equal(p.summary.n, 2);
    assert.equal(p.summary.mean, 15);
  });
});
