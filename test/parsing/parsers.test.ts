import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDurationDays } from '../../src/parsing/duration';
import { parseModelSizeB } from '../../src/parsing/model-size';
import { parseMoney } from '../../src/parsing/money';
import { parseDecimal } from '../../src/parsing/numbers';
import { parseTeamSize } from '../../src/parsing/team-size';
import { parseYesNo } from '../../src/parsing/yes-no';

const value = <T>(r: { ok: true; value: T } | { ok: false; error: string }): T => {
  assert.ok(r.ok, `expected ok, got error: ${r.ok ? '' : r.error}`);
  return r.value;
};
const error = (r: { ok: boolean; error?: string }): string => {
  assert.equal(r.ok, false);
  return r.error ?? '';
};

describe('parseMoney', () => {
  it('reads amounts with units, currency words and qualifiers', () => {
    assert.deepEqual(value(parseMoney('about $5k')), { usd: 5000, bound: 'about' });
    assert.deepEqual(value(parseMoney('5000 USD')), { usd: 5000, bound: 'about' });
    assert.deepEqual(value(parseMoney('under 1k')), { usd: 1000, bound: 'under' });
    assert.deepEqual(value(parseMoney('over $10,000')), { usd: 10000, bound: 'over' });
    assert.deepEqual(value(parseMoney('2.5 million')), { usd: 2_500_000, bound: 'about' });
    assert.deepEqual(value(parseMoney('$ 7,500')), { usd: 7500, bound: 'about' });
    assert.deepEqual(value(parseMoney('1-3k')), { usd: 3000, bound: 'under', low: 1000 });
    assert.deepEqual(value(parseMoney('nothing')), { usd: 0, bound: 'about' });
  });
  it('rejects nonsense, negatives and other currencies with a reason', () => {
    assert.match(error(parseMoney('banana')), /no amount found in "banana"/);
    assert.match(error(parseMoney('-5k')), /cannot be negative/);
    assert.match(error(parseMoney('€500')), /US dollars/);
    assert.match(error(parseMoney('   ')), /empty/);
    assert.match(error(parseMoney('no budget')), /more than one way/);
  });
});

describe('parseDurationDays', () => {
  it('reads spans, words and urgency', () => {
    assert.equal(value(parseDurationDays('2 weeks')), 14);
    assert.equal(value(parseDurationDays('10 days')), 10);
    assert.equal(value(parseDurationDays('asap')), 1);
    assert.equal(value(parseDurationDays('a month')), 30);
    assert.equal(value(parseDurationDays('two weeks')), 14);
    assert.equal(value(parseDurationDays('within 48 hours')), 2);
    assert.equal(value(parseDurationDays('3mo')), 90);
    assert.equal(value(parseDurationDays('1.5 weeks')), 10.5);
  });
  it('rejects nonsense and non-positive spans', () => {
    assert.match(error(parseDurationDays('banana')), /not a time span/);
    assert.match(error(parseDurationDays('0 days')), /longer than zero/);
    assert.match(error(parseDurationDays('-3 days')), /longer than zero/);
    assert.match(error(parseDurationDays('20 years')), /ten years/);
  });
});

describe('parseYesNo', () => {
  it('reads yes, no and unsure in many forms', () => {
    for (const t of ['yes', 'Yes!', 'yep', 'sure', 'of course']) assert.equal(value(parseYesNo(t)), 'yes');
    for (const t of ['no', 'nope', 'Nah.', 'not really']) assert.equal(value(parseYesNo(t)), 'no');
    for (const t of ['not sure', 'maybe', 'idk', "don't know"]) assert.equal(value(parseYesNo(t)), 'unsure');
  });
  it('rejects other text', () => {
    assert.match(error(parseYesNo('purple')), /not yes, no or not sure/);
  });
});

describe('parseModelSizeB', () => {
  it('reads billions and millions, also inside model names', () => {
    assert.equal(value(parseModelSizeB('7B')), 7);
    assert.equal(value(parseModelSizeB('70b')), 70);
    assert.equal(value(parseModelSizeB('1.3 billion')), 1.3);
    assert.equal(value(parseModelSizeB('350M')), 0.35);
    assert.equal(value(parseModelSizeB('meta-llama/Llama-2-13b-hf')), 13);
  });
  it('rejects text without a size and absurd sizes', () => {
    assert.match(error(parseModelSizeB('big')), /no parameter count/);
    assert.match(error(parseModelSizeB('0B')), /more than zero/);
    assert.match(error(parseModelSizeB('99999B')), /beyond/);
  });
});

describe('parseTeamSize', () => {
  it('reads head counts', () => {
    assert.equal(value(parseTeamSize('3')), 3);
    assert.equal(value(parseTeamSize('just me')), 1);
    assert.equal(value(parseTeamSize('a team of 8')), 8);
    assert.equal(value(parseTeamSize('five people')), 5);
  });
  it('rejects zero, fractions and nonsense', () => {
    assert.match(error(parseTeamSize('0')), /at least 1/);
    assert.match(error(parseTeamSize('2.5')), /whole number/);
    assert.match(error(parseTeamSize('lots')), /no head count/);
  });
});

describe('parseDecimal', () => {
  it('accepts plain decimals only', () => {
    assert.equal(value(parseDecimal('2.5')), 2.5);
    assert.equal(value(parseDecimal('-1')), -1);
    for (const bad of ['', 'abc', '5k', 'NaN', 'Infinity', '1e'])
      assert.equal(parseDecimal(bad).ok, false, bad);
  });
});
