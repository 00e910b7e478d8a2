import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCostArguments } from '../../src/cost/arguments';
import { compareCosts } from '../../src/cost/cost-model';
import { ARTICLE_COST_INPUTS } from '../../src/cost/inputs';

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-6, `${actual} != ${expected}`);

describe('compareCosts with the framework inputs (hand-computed)', () => {
  const cost = compareCosts(ARTICLE_COST_INPUTS);
  it('training: GPU hours x rate + engineering hours x rate + infrastructure', () => {
    close(cost.full.training.compute, 168 * 8);
    close(cost.full.training.total, 1344 + 6000 + 500);
    close(cost.lora.training.total, 30 + 3000 + 100);
    close(cost.trainingSavings.amount, 7844 - 3130);
    close(cost.trainingSavings.percent ?? Number.NaN, (4714 / 7844) * 100);
  });
  it('monthly deployment: GB x $/GB-hour x 720 hours for storage and serving', () => {
    close(cost.full.monthly.storage, 4680);
    close(cost.full.monthly.serving, 936);
    close(cost.lora.monthly.storage, 941.76);
    close(cost.lora.monthly.serving, 486);
    close(cost.monthlySavings.amount, 5616 - 1427.76);
  });
  it('first year: training + 12 months', () => {
    close(cost.full.firstYear, 7844 + 12 * 5616);
    close(cost.lora.firstYear, 3130 + 12 * 1427.76);
    close(cost.firstYearSavings.amount, 75236 - 20263.12);
    close(cost.firstYearSavings.percent ?? Number.NaN, ((75236 - 20263.12) / 75236) * 100);
  });
  it('percent is undefined, not infinite, when the full figure is zero', () => {
    const zero = compareCosts({
      ...ARTICLE_COST_INPUTS,
      full_gpu_hours: 0,
      full_eng_hours: 0,
      full_infra: 0,
    });
    assert.equal(zero.trainingSavings.percent, undefined);
  });
});

describe('parseCostArguments', () => {
  const parse = (pairs: [string, string][]) => parseCostArguments(new Map(pairs));
  it('defaults to the article preset and applies overrides', () => {
    const r = parse([
      ['lora_gpu_hours', '4'],
      ['eng_rate', '$100'],
    ]);
    assert.ok(r.ok);
    assert.equal(r.value.inputs.lora_gpu_hours, 4);
    assert.equal(r.value.inputs.eng_rate, 100);
    assert.equal(r.value.inputs.full_gpu_hours, 168);
    assert.deepEqual(r.value.overridden, ['lora_gpu_hours', 'eng_rate']);
  });
  it('names the key and the accepted range for every bad value', () => {
    const r = parse([
      ['full_gpu_hours', '-3'],
      ['storage_rate', 'cheap'],
      ['gpu_color', 'red'],
      ['months', '2.5'],
    ]);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.match(r.error, /full_gpu_hours: -3 is out of range; expected a number from 0 to/);
    assert.match(r.error, /storage_rate: "cheap" is not a number; expected .*\$\/GB-hour/);
    assert.match(r.error, /gpu_color: unknown key \(accepted: preset, full_gpu_hours/);
    assert.match(r.error, /months: 2.5 must be a whole number/);
  });
  it('rejects an unknown preset', () => {
    const r = parse([['preset', 'cheapest']]);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /preset: unknown preset "cheapest" \(accepted: article\)/);
  });
});
