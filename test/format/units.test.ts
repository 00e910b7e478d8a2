import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSeconds } from '../../src/format/units';

describe('formatSeconds', () => {
  it('rounds before splitting into minutes and hours, so no part reads 60', () => {
    assert.equal(formatSeconds(119.6), '2 min 0 s');
    assert.equal(formatSeconds(3599.7), '1 h 0 min');
    assert.equal(formatSeconds(7199), '2 h 0 min');
    assert.equal(formatSeconds(59.7), '1 min 0 s');
    assert.equal(formatSeconds(9.97), '10 s');
  });

  it('keeps the usual forms', () => {
    assert.equal(formatSeconds(4.24), '4.2 s');
    assert.equal(formatSeconds(42.4), '42 s');
    assert.equal(formatSeconds(141), '2 min 21 s');
    assert.equal(formatSeconds(1441), '24 min 1 s');
    assert.equal(formatSeconds(5400), '1 h 30 min');
    assert.equal(formatSeconds(Number.NaN), '-');
  });
});
