import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readJobsConfig } from '../../jobs/config';

describe('FACEOFF_SWEEP_TEST', () => {
  it('is unset by default (the plan decides by the model), or chosen / every in any case', () => {
    assert.equal(readJobsConfig({}).sweepTest, undefined);
    assert.equal(readJobsConfig({ FACEOFF_SWEEP_TEST: ' ' }).sweepTest, undefined);
    assert.equal(readJobsConfig({ FACEOFF_SWEEP_TEST: 'chosen' }).sweepTest, 'chosen');
    assert.equal(readJobsConfig({ FACEOFF_SWEEP_TEST: ' Every ' }).sweepTest, 'every');
  });

  it('refuses anything else, naming the variable and echoing a short value', () => {
    assert.throws(
      () => readJobsConfig({ FACEOFF_SWEEP_TEST: 'all' }),
      /^Error: FACEOFF_SWEEP_TEST: "all" is not chosen or every$/,
    );
    assert.throws(
      () => readJobsConfig({ FACEOFF_SWEEP_TEST: `x${'y'.repeat(10_000)}` }),
      (e: Error) => e.message.length < 120 && e.message.startsWith('FACEOFF_SWEEP_TEST: "xyy'),
    );
  });
});
