import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCombineRequest, parseComparisonRequest } from '../../src/comparison/request';
import { inputFromText, step } from '../../src/decision/questionnaire';
import { findDeadline, parseDeadline } from '../../src/parsing/deadline';

/** Names every JavaScript object has: typed by a user, they are words, never lookups of Object's members. */
const MEMBER_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];
const NOW = new Date('2026-12-06T12:00:00Z');

describe('object member names typed as input', () => {
  it('are answers in the questionnaire, not navigation, and the reducer keeps going', () => {
    let state = step(null, { kind: 'start' }, NOW).state;
    for (const name of MEMBER_NAMES) {
      const input = inputFromText(name);
      assert.deepEqual(input, { kind: 'answer', text: name });
      const out = step(state, input, NOW);
      for (const reply of out.replies) assert.equal(typeof reply.text, 'string');
      state = out.state;
    }
  });

  it('are no weekday or month in a deadline', () => {
    for (const name of MEMBER_NAMES) {
      assert.equal(findDeadline(`by next ${name}`, NOW), undefined, name);
      assert.equal(parseDeadline(`${name} 5`, NOW).ok, false, name);
    }
  });

  it('are unknown tasks to compare and combine, refused with the option named', () => {
    for (const name of MEMBER_NAMES) {
      const pairs = new Map([
        ['task', name],
        ['model', 'tiny'],
      ]);
      for (const parse of [parseComparisonRequest, parseCombineRequest]) {
        const parsed = parse([], pairs);
        assert.equal(parsed.ok, false, `${parse.name} ${name}`);
        assert.match(parsed.ok ? '' : parsed.error, /^task: /m, `${parse.name} ${name}`);
      }
    }
  });

  it('huge, disguised and path-like task and model lists are refused in one short line each', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `ds-a${i}`).join(',');
    const cases: [string, string, RegExp][] = [
      [many, 'tiny', /^task: at most 10 suites or datasets in one comparison \(20000 given\)$/],
      ['customer_service', Array(5000).fill('tiny').join(','), /^model: at most 4 models .*\(5000 given\)$/],
      ['ds-../../etc/passwd', 'tiny', /^task: "ds-\.\.\/\.\.\/etc\/passwd" is not a task suite/],
      ['ds-ab\u0000cd', 'tiny', /^task: .* is not a task suite/],
      [`ds-${'x'.repeat(100_000)};rm -rf /`, 'tiny', /^task: .* is not a task suite/],
      ['customer_service,\u200bdata_analysis', 'tiny', /^task: .* is not a task suite/],
    ];
    for (const [task, model, expected] of cases) {
      const started = performance.now();
      const parsed = parseComparisonRequest(
        [],
        new Map([
          ['task', task],
          ['model', model],
        ]),
      );
      assert.ok(performance.now() - started < 500, 'read at once');
      assert.equal(parsed.ok, false);
      const error = parsed.ok ? '' : parsed.error;
      assert.match(error, expected);
      assert.ok(error.length < 400, `a short error, not the input echoed: ${error.length} characters`);
    }
    const combine = parseCombineRequest(
      [],
      new Map([
        ['task', many],
        ['model', 'tiny'],
      ]),
    );
    assert.equal(
      combine.ok ? '' : combine.error,
      'task: 20000 datasets given; combine takes 2 to 6 (one skill each)',
    );
  });
});
