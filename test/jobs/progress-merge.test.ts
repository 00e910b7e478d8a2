import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeProgressReports } from '../../jobs/control-plane';

describe('progress reports of a run waiting their turn', () => {
  it('are written as the latest report with every new point, in order', () => {
    const merged = mergeProgressReports([
      { step: 1, total: 4, loss: 3, points: [{ series: 'train_loss', step: 1, value: 3 }] },
      { step: 2, total: 4, loss: 1.5 },
      {
        step: 3,
        total: 4,
        loss: 1,
        evalLoss: 1.2,
        points: [
          { series: 'train_loss', step: 3, value: 1 },
          { series: 'eval_loss', step: 3, value: 1.2 },
        ],
      },
    ]);
    assert.deepEqual(merged, {
      step: 3,
      total: 4,
      loss: 1,
      evalLoss: 1.2,
      points: [
        { series: 'train_loss', step: 1, value: 3 },
        { series: 'train_loss', step: 3, value: 1 },
        { series: 'eval_loss', step: 3, value: 1.2 },
      ],
    });
  });

  it('keep a single report as it is, and carry no points when none came', () => {
    const one = { step: 1, total: 2, points: [{ series: 'train_loss', step: 1, value: 2 }] };
    assert.equal(mergeProgressReports([one]), one);
    assert.deepEqual(
      mergeProgressReports([
        { step: 1, total: 2 },
        { step: 2, total: 2, loss: 1 },
      ]),
      {
        step: 2,
        total: 2,
        loss: 1,
      },
    );
  });
});
