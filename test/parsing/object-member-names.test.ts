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
});
