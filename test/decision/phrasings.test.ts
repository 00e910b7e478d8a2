/**
 * How real phrasings are read, question by question, and as whole messages: yes/no with
 * elaborations and hedges, negations, frequencies, durations and dates (against a fixed clock),
 * money, model names and sizes, tasks, team sizes, several answers in one message, corrections.
 * Each row is what a person typed and the reading they should get.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyReadings, interpret } from '../../src/decision/answering';
import type { Answers, QuestionId } from '../../src/decision/answers';
import type { Reading } from '../../src/decision/read/reading';
import { CORRECTIONS, SEVERAL } from './phrasings/messages';
import { MODEL, STAGE, TASK, TEAM, VARIANT_COUNT } from './phrasings/names';
import { BUDGET, TIMELINE, UPDATES } from './phrasings/quantities';
import { BEHAVIOUR, DOMAIN, PERFORMANCE, VARIANTS } from './phrasings/yes-no';

/** Wednesday 7 January 2026, noon UTC: the clock deadlines are read against. */
const NOW = new Date('2026-01-07T12:00:00Z');
let rows = 0;

/** The reading the open question `id` gets from `text` (alone, or among several answers). */
function readingFor(id: QuestionId, text: string, answers: Answers = {}): Reading {
  const read = interpret(text, id, answers, NOW);
  if (read.mode === 'single') return read.reading;
  const own = read.readings.find(([q]) => q === id)?.[1];
  if (own) return own;
  // "one per customer, 12 customers" answers variants, and the number of them with it.
  const also = read.readings.flatMap(([, r]) => (r.kind === 'answer' && r.also?.[id] ? [r.also[id]] : []))[0];
  return also
    ? { kind: 'answer', answer: also as never }
    : { kind: 'none', why: 'not found among several answers' };
}

function kindOf(reading: Reading): 'answer' | 'ask' | 'none' {
  return reading.kind;
}

const close = (a: number | undefined, b: number | undefined) =>
  a === b || (a !== undefined && b !== undefined && Math.abs(a - b) < 1e-6);

function table<T>(
  name: string,
  id: QuestionId,
  rowsOf: [string, T][],
  check: (reading: Reading, expected: T, text: string) => void,
  answers: Answers = {},
) {
  it(`${name}: ${rowsOf.length} phrasings`, () => {
    const failures: string[] = [];
    for (const [text, expected] of rowsOf) {
      rows += 1;
      const reading = readingFor(id, text, answers);
      try {
        check(reading, expected, text);
      } catch (e) {
        failures.push(
          `${JSON.stringify(text)}: ${(e as Error).message.split('\n')[0]} (got ${JSON.stringify(reading).slice(0, 200)})`,
        );
      }
    }
    assert.deepEqual(failures, []);
  });
}

function expectKind(reading: Reading, expected: 'ask' | 'none') {
  assert.equal(kindOf(reading), expected);
}

function yesNo(reading: Reading, expected: string) {
  if (expected === 'ask' || expected === 'none') return expectKind(reading, expected);
  assert.equal(reading.kind, 'answer');
  if (reading.kind === 'answer') assert.equal((reading.answer as { value: string }).value, expected);
}

describe('phrasings, question by question', () => {
  table('performance (is 95% enough?)', 'performance', PERFORMANCE, yesNo);
  table('behaviour change', 'behaviour', BEHAVIOUR, yesNo);
  table('variants', 'variants', VARIANTS, yesNo);
  table('domain shift', 'domain', DOMAIN, yesNo);
  table('stage', 'stage', STAGE, yesNo);
  table('budget', 'budget', BUDGET, (reading, expected) => {
    if (typeof expected === 'string') return expectKind(reading, expected);
    assert.equal(reading.kind, 'answer');
    const value = (reading as Extract<Reading, { kind: 'answer' }>).answer as NonNullable<Answers['budget']>;
    assert.equal(value.bucket, expected.bucket);
    assert.ok(close(value.usd, expected.usd), `usd ${value.usd}, expected ${expected.usd}`);
  });
  table('timeline', 'timeline', TIMELINE, (reading, expected) => {
    if (typeof expected === 'string') return expectKind(reading, expected);
    assert.equal(reading.kind, 'answer');
    const value = (reading as Extract<Reading, { kind: 'answer' }>).answer as NonNullable<
      Answers['timeline']
    >;
    assert.equal(value.bucket, expected.bucket);
    if (expected.days !== undefined)
      assert.ok(close(value.days, expected.days), `days ${value.days}, expected ${expected.days}`);
  });
  table('updates', 'updates', UPDATES, (reading, expected) => yesNo(reading, expected));
  table('model', 'model', MODEL, (reading, expected) => {
    if (typeof expected === 'string') return expectKind(reading, expected);
    assert.equal(reading.kind, 'answer');
    const value = (reading as Extract<Reading, { kind: 'answer' }>).answer as NonNullable<Answers['model']>;
    assert.equal(value.bucket, expected.bucket);
    assert.ok(close(value.paramsB, expected.total), `total ${value.paramsB}, expected ${expected.total}`);
    assert.ok(close(value.activeB, expected.active), `active ${value.activeB}, expected ${expected.active}`);
  });
  table('task', 'task', TASK, (reading, expected) => yesNo(reading, expected));
  table('team', 'team', TEAM, (reading, expected) => {
    if (typeof expected === 'string') return expectKind(reading, expected);
    assert.equal(reading.kind, 'answer');
    const value = (reading as Extract<Reading, { kind: 'answer' }>).answer as NonNullable<Answers['team']>;
    assert.equal(value.bucket, expected.bucket);
    assert.equal(value.size, expected.size);
  });
  table(
    'number of variants',
    'variantCount',
    VARIANT_COUNT,
    (reading, expected) => {
      if (typeof expected === 'string') return expectKind(reading, expected);
      assert.equal(reading.kind, 'answer');
      assert.equal(
        ((reading as Extract<Reading, { kind: 'answer' }>).answer as { count: number }).count,
        expected,
      );
    },
    { variants: { value: 'yes', label: 'Yes' } },
  );
});

function subset(actual: Answers, expected: { [K in keyof Answers]?: object }) {
  for (const [id, fields] of Object.entries(expected)) {
    const got = actual[id as QuestionId] as Record<string, unknown> | undefined;
    assert.ok(got, `${id} not answered`);
    for (const [field, value] of Object.entries(fields as Record<string, unknown>)) {
      const v = got[field];
      assert.ok(
        typeof value === 'number' ? close(v as number, value) : v === value,
        `${id}.${field} = ${JSON.stringify(v)}, expected ${JSON.stringify(value)}`,
      );
    }
  }
}

const SOME_ANSWERS: Answers = {
  budget: { bucket: '1k_10k', usd: 5000, label: '$5,000' },
  timeline: { bucket: '1w_2w', days: 14, label: '2 weeks' },
  performance: { value: 'yes', label: 'Yes' },
  team: { bucket: 'small', size: 3, label: '3 people' },
  model: { bucket: '3b_20b', paramsB: 7, label: '7B' },
  task: { value: 'customer_service' as never, label: 'Customer service' },
  updates: { value: 'rarely', label: 'Rarely or never' },
};

describe('phrasings, whole messages', () => {
  it(`several answers in one message: ${SEVERAL.length} messages`, () => {
    const failures: string[] = [];
    for (const [text, expected] of SEVERAL) {
      rows += 1;
      const read = interpret(text, 'budget', {}, NOW);
      const readings: [QuestionId, Reading][] =
        read.mode === 'single' ? [[read.id, read.reading]] : read.readings;
      try {
        assert.ok(Object.keys(expected).length >= 2);
        subset(applyReadings({}, readings).answers, expected);
      } catch (e) {
        failures.push(`${JSON.stringify(text)}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it(`corrections: ${CORRECTIONS.length} messages change the answer they name`, () => {
    const failures: string[] = [];
    for (const [text, expected] of CORRECTIONS) {
      rows += 1;
      const read = interpret(text, 'behaviour', SOME_ANSWERS, NOW);
      const readings: [QuestionId, Reading][] =
        read.mode === 'single' ? [[read.id, read.reading]] : read.readings;
      try {
        subset(applyReadings(SOME_ANSWERS, readings).answers, expected);
      } catch (e) {
        failures.push(`${JSON.stringify(text)}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('covers at least 400 phrasings', () => {
    assert.ok(rows >= 400, `${rows} phrasings`);
  });
});
