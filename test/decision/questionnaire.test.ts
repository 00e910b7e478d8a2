import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inputFromText, type QuestionnaireState, step } from '../../src/decision/questionnaire';
import { QUESTIONS, readAnswer } from '../../src/decision/questions';

const now = new Date('2026-01-01T00:00:00Z');

function run(inputs: string[]) {
  let state: QuestionnaireState | null = step(null, { kind: 'start' }, now).state;
  let last = step(null, { kind: 'start' }, now);
  for (const text of inputs) {
    last = step(state, inputFromText(text), now);
    state = last.state;
  }
  return last;
}

describe('questionnaire reducer', () => {
  it('asks nine questions with a progress marker and buttons', () => {
    const first = step(null, { kind: 'start' }, now);
    assert.equal(QUESTIONS.length, 9);
    assert.match(first.replies[0]?.text ?? '', /Question 1 of 9/);
    assert.ok((first.replies[0]?.buttons ?? []).some((b) => b.value === 'under_1k'));
    assert.ok((first.replies[0]?.buttons ?? []).some((b) => b.value === 'cancel'));
  });

  it('reaches a recommendation by free text', () => {
    const out = run([
      'about $5k',
      '2 weeks',
      'yes',
      'nope',
      'yes',
      'every week',
      'customer support bot',
      'just me',
      '7B',
    ]);
    assert.equal(out.state, null);
    assert.equal(out.effects.length, 1);
    const effect = out.effects[0];
    assert.ok(effect);
    assert.equal(effect.verdict.recommendation, 'lora');
    assert.equal(effect.answers.budget?.usd, 5000);
    assert.equal(effect.answers.timeline?.days, 14);
    assert.equal(effect.answers.task?.value, 'customer_service');
    assert.equal(effect.answers.model?.paramsB, 7);
    const text = out.replies.map((r) => r.text).join('\n');
    assert.match(text, /Recommendation: LoRA/);
    assert.match(text, /3-week plan/);
  });

  it('reaches a recommendation by choice ids and numbers', () => {
    const out = run(['over_10k', '4', 'no', 'yes', 'no', 'rarely', 'creative_writing', 'large', 'over_60b']);
    assert.equal(out.state, null);
    const verdict = out.effects[0]?.verdict;
    assert.ok(verdict);
    assert.notEqual(verdict.recommendation, 'lora');
    assert.ok(verdict.fullSignals.length >= 3);
  });

  it('neutral answers reproduce the framework totals (9.05 vs 5.0)', () => {
    const out = run([
      'not sure',
      'not sure',
      'not sure',
      'not sure',
      'no',
      'rarely',
      'other',
      'not sure',
      'not sure',
    ]);
    const verdict = out.effects[0]?.verdict;
    assert.ok(verdict);
    assert.equal(verdict.scores.adjustments.length, 0);
    assert.ok(Math.abs(verdict.scores.loraTotal - 9.05) < 1e-9);
    assert.ok(Math.abs(verdict.scores.fullTotal - 5.0) < 1e-9);
  });

  it('answers shift weights and scores visibly, each with a reason and an effect', () => {
    const out = run(['under 1k', 'asap', 'yes', 'yes', 'yes', 'weekly', 'creative writing', '3', '70b']);
    const verdict = out.effects[0]?.verdict;
    assert.ok(verdict);
    const weights = verdict.scores.rows.reduce((s, r) => s + r.weight, 0);
    assert.ok(Math.abs(weights - 1) < 1e-9);
    assert.ok(verdict.drivers.length >= 5);
    for (const d of verdict.drivers) assert.ok(d.reasons.length > 0 && Number.isFinite(d.effect));
    const performance = verdict.scores.rows.find((r) => r.criterion === 'performance');
    assert.equal(performance?.lora, 8 - 3 - 2);
  });

  it('re-asks the same question with a hint on unparseable input and loses nothing', () => {
    let out = step(null, { kind: 'start' }, now);
    out = step(out.state, inputFromText('$5k'), now);
    const before = out.state;
    out = step(before, inputFromText('whenever the moon is full'), now);
    assert.deepEqual(out.state, before);
    assert.match(
      out.replies[0]?.text ?? '',
      /couldn't use that answer: "whenever the moon is full" is not a time span/,
    );
    assert.match(out.replies[0]?.text ?? '', /Question 2 of 9/);
  });

  it('back, restart and cancel work at any point', () => {
    let out = step(null, { kind: 'start' }, now);
    out = step(out.state, inputFromText('under 1k'), now);
    out = step(out.state, inputFromText('10 days'), now);
    assert.equal(out.state?.index, 2);
    out = step(out.state, inputFromText('back'), now);
    assert.equal(out.state?.index, 1);
    assert.equal(out.state?.answers.timeline, undefined);
    assert.equal(out.state?.answers.budget?.usd, 1000);
    out = step(out.state, inputFromText('start over'), now);
    assert.equal(out.state?.index, 0);
    assert.deepEqual(out.state?.answers, {});
    out = step(out.state, inputFromText('back'), now);
    assert.match(out.replies[0]?.text ?? '', /first question/);
    out = step(out.state, inputFromText('cancel'), now);
    assert.equal(out.state, null);
    assert.match(out.replies[0]?.text ?? '', /cancelled/);
  });

  it('every question rejects nonsense with its own hint', () => {
    for (const question of QUESTIONS) {
      if (question.id === 'performance' || question.id === 'behaviour' || question.id === 'variants')
        continue;
      const r = readAnswer(question, 'zzz qqq');
      assert.equal(r.ok, false, question.id);
      assert.ok(!r.ok && r.error.includes(question.hint), question.id);
    }
  });
});
