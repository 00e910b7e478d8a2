import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarize } from '../../src/analysis/statistics';
import {
  formatDifference,
  formatDollars,
  formatEstimate,
  formatQuantityEstimate,
  formatRatio,
  formatVerdict,
} from '../../src/analysis/uncertainty-format';

describe('numbers with units and uncertainty', () => {
  it('mean ± half the 95% interval', () => {
    // 0.4 and 0.424: mean 0.412, sd 0.016971, half-width 12.706205 x 0.016971 / sqrt(2) = 0.152474
    assert.equal(formatEstimate(summarize([0.4, 0.424])), '0.412 ± 0.152');
  });
  it('one seed: interval n/a, never ± 0', () => {
    assert.equal(formatEstimate(summarize([0.412])), '0.412 ± n/a (1 seed)');
    assert.equal(formatDifference(summarize([-0.2])), '-0.200 ± n/a (1 seed)');
    assert.equal(formatEstimate(summarize([])), '-');
  });
  it('signed differences, ratios, dollars and measured quantities', () => {
    assert.equal(formatDifference(summarize([0.1, 0.2])), '+0.150 ± 0.635');
    assert.equal(formatRatio(95.3), '95.3x');
    assert.equal(formatRatio(undefined), '-');
    assert.equal(formatDollars(1234.5), '$1,234.50');
    assert.equal(formatDollars(0.000412), '$0.000412');
    assert.equal(formatQuantityEstimate(summarize([10, 12]), 'seconds'), '11 s ± 13 s');
    assert.equal(formatQuantityEstimate(summarize([2048]), 'bytes'), '2.00 KB ± n/a (1 seed)');
    assert.equal(formatQuantityEstimate(summarize([4900, 4900]), 'parameters'), '4.9k params');
  });
  it('verdict cells', () => {
    const none = { outcome: 'no_significant_difference' as const, note: '' };
    assert.equal(formatVerdict({ outcome: 'full_better', note: '' }, summarize([1, 2])), 'Full FT better');
    assert.equal(formatVerdict(none, summarize([0.3])), 'not significant (n/a: 1 seed)');
    assert.equal(formatVerdict(none, summarize([0, 0, 0])), 'not significant (identical on every seed)');
    assert.equal(
      formatVerdict({ ...none, seedsNeeded: 20 }, summarize([0.1, -0.05, 0.2])),
      'not significant (need ~20 seeds)',
    );
  });
});
