import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeDifference, pairedDifference } from '../../src/analysis/paired-difference';
import { seedsNeeded, summarize, tQuantile } from '../../src/analysis/statistics';

const close = (actual: number | undefined, expected: number, tolerance = 1e-6) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < tolerance, `${actual} != ${expected}`);

const bySeed = (values: number[]) => new Map(values.map((v, seed) => [seed, v]));

describe('summarize (mean, sample sd, Student t 95% interval)', () => {
  it('matches a hand computation for 1, 2, 3', () => {
    // mean 2, sd 1, t(0.975, 2) = 4.302653, half-width 4.302653 / sqrt(3) = 2.484138
    const s = summarize([1, 2, 3]);
    assert.equal(s.n, 3);
    close(s.mean, 2);
    close(s.sd, 1);
    close(s.halfWidth, 2.484138);
    close(s.ci?.low, -0.484138);
    close(s.ci?.high, 4.484138);
  });
  it('uses the t quantiles from the statistics library', () => {
    close(tQuantile(1), 12.706205, 1e-5);
    close(tQuantile(2), 4.302653, 1e-5);
    close(tQuantile(30), 2.042272, 1e-5);
  });
  it('a single seed has a mean but no spread and no interval (not a zero-width one)', () => {
    const s = summarize([0.42]);
    assert.equal(s.n, 1);
    close(s.mean, 0.42);
    assert.equal(s.sd, undefined);
    assert.equal(s.ci, undefined);
    assert.equal(s.halfWidth, undefined);
  });
  it('ignores non-finite values and reports nothing for none', () => {
    assert.equal(summarize([Number.NaN, Number.POSITIVE_INFINITY]).mean, undefined);
    assert.equal(summarize([]).n, 0);
  });
});

describe('pairedDifference and judgeDifference', () => {
  it('pairs by seed: full 0.5/0.6/0.7 vs LoRA 0.4/0.45/0.5 -> +0.15 ± 0.124, full better', () => {
    // differences 0.10, 0.15, 0.20: mean 0.15, sd 0.05, half-width 4.302653 x 0.05 / sqrt(3) = 0.124207
    const d = pairedDifference(bySeed([0.5, 0.6, 0.7]), bySeed([0.4, 0.45, 0.5]));
    assert.deepEqual(d.seeds, [0, 1, 2]);
    close(d.mean, 0.15);
    close(d.sd, 0.05);
    close(d.halfWidth, 0.124207);
    assert.equal(judgeDifference(d, true).outcome, 'full_better');
  });
  it('respects lower-is-better: the same positive difference on a loss means LoRA is better', () => {
    const d = pairedDifference(bySeed([0.5, 0.6, 0.7]), bySeed([0.4, 0.45, 0.5]));
    assert.equal(judgeDifference(d, false).outcome, 'lora_better');
  });
  it('only seeds both methods completed are paired', () => {
    const d = pairedDifference(
      new Map([
        [0, 1],
        [1, 2],
        [5, 3],
      ]),
      new Map([
        [1, 1],
        [5, 1],
        [7, 9],
      ]),
    );
    assert.deepEqual(d.seeds, [1, 5]);
    close(d.mean, 1.5);
  });
  it('equal methods -> no significant difference, and more seeds would not help', () => {
    const d = pairedDifference(bySeed([0.3, 0.5, 0.7]), bySeed([0.3, 0.5, 0.7]));
    const v = judgeDifference(d, true);
    assert.equal(v.outcome, 'no_significant_difference');
    assert.equal(v.seedsNeeded, undefined);
    assert.match(v.note, /same on all 3 seeds/);
  });
  it('a single seed -> interval unavailable, not zero, and no seed estimate', () => {
    const d = pairedDifference(bySeed([0.9]), bySeed([0.1]));
    assert.equal(d.n, 1);
    assert.equal(d.ci, undefined);
    assert.equal(d.halfWidth, undefined);
    const v = judgeDifference(d, true);
    assert.equal(v.outcome, 'no_significant_difference');
    assert.equal(v.seedsNeeded, undefined);
    assert.match(v.note, /only 1 seed/);
  });
  it('an unclear difference gets an estimate of the seeds needed', () => {
    // differences 0.10, -0.05, 0.20: mean 0.0833, sd 0.1258, half-width 0.3126: the interval holds zero
    const d = pairedDifference(bySeed([0.6, 0.45, 0.7]), bySeed([0.5, 0.5, 0.5]));
    close(d.halfWidth, 0.31258, 1e-5);
    const v = judgeDifference(d, true);
    assert.equal(v.outcome, 'no_significant_difference');
    assert.equal(v.seedsNeeded, 20);
    assert.match(v.note, /about 20 seeds/);
  });
});

describe('seedsNeeded (paired t test, 95% two-sided, 80% power)', () => {
  it('agrees with the standard paired-t sample sizes for effect sizes 0.5, 1 and 2', () => {
    // Effect size dz = difference / sd; the usual tables give 34, 10 and 5 pairs.
    assert.equal(seedsNeeded(0.5, 1), 34);
    assert.equal(seedsNeeded(1, 1), 10);
    assert.equal(seedsNeeded(0.2, 0.1), 5);
  });
  it('cannot be estimated without a difference or a spread', () => {
    assert.equal(seedsNeeded(0, 1), undefined);
    assert.equal(seedsNeeded(0.1, undefined), undefined);
    assert.equal(seedsNeeded(1e-9, 1), Number.POSITIVE_INFINITY);
  });
});
