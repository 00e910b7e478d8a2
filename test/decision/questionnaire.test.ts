import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Reply } from '../../src/chat/replies';
import {
  inputFromText,
  type QuestionnaireState,
  type StepOutcome,
  step,
} from '../../src/decision/questionnaire';
import { MAIN_QUESTIONS, QUESTIONS } from '../../src/decision/questions';

const now = new Date('2026-01-07T12:00:00Z');
const text = (replies: Reply[]) => replies.map((r) => r.text).join('\n');

/** Starts a questionnaire (optionally with a first message) and types each line. */
function run(inputs: string[], first?: string): StepOutcome {
  let out = step(null, { kind: 'start', ...(first ? { text: first } : {}) }, now);
  for (const line of inputs) out = step(out.state, inputFromText(line), now);
  return out;
}

const finished = (out: StepOutcome) => {
  assert.ok(out.state?.finishedAt, `expected a recommendation, got: ${text(out.replies)}`);
  return out;
};

describe('questionnaire reducer', () => {
  it('asks the nine main questions with a progress marker and buttons', () => {
    const first = step(null, { kind: 'start' }, now);
    assert.equal(MAIN_QUESTIONS.length, 9);
    assert.equal(QUESTIONS.length, 12, 'nine main questions and three follow-ups');
    assert.match(first.replies[0]?.text ?? '', /Question 1 of 9/);
    assert.ok((first.replies[0]?.buttons ?? []).some((b) => b.value === 'under_1k'));
    assert.ok((first.replies[0]?.buttons ?? []).some((b) => b.value === 'cancel'));
  });

  it('reaches a recommendation by free text, asking how many variants after a plain yes', () => {
    let out = run(['about $5k', '2 weeks', 'yes', 'nope', 'yes']);
    assert.match(text(out.replies), /Question 6 of 10\*: Roughly how many variants\?/);
    out = run([
      'about $5k',
      '2 weeks',
      'yes',
      'nope',
      'yes',
      '3',
      'every week',
      'customer support bot',
      'just me',
      '7B',
    ]);
    assert.match(text(out.replies), /domain/, 'domain shift matters here: a yes would give the hybrid plan');
    out = finished(step(out.state, inputFromText('no, everyday English'), now));
    const effect = out.effects[0];
    assert.ok(effect);
    assert.equal(effect.verdict.recommendation, 'lora');
    assert.equal(effect.answers.budget?.usd, 5000);
    assert.equal(effect.answers.timeline?.days, 14);
    assert.equal(effect.answers.variantCount?.count, 3);
    assert.equal(effect.answers.task?.value, 'customer_service');
    assert.equal(effect.answers.model?.paramsB, 7);
    assert.match(text(out.replies), /Recommendation: LoRA/);
    assert.match(text(out.replies), /3-week plan/);
  });

  it('reaches a recommendation by choice ids and numbers', () => {
    const out = finished(
      run(['over_10k', '4', 'no', 'yes', 'no', 'rarely', 'creative_writing', 'large', 'over_60b']),
    );
    const verdict = out.effects[0]?.verdict;
    assert.ok(verdict);
    assert.equal(verdict.recommendation, 'full');
    assert.ok(verdict.fullSignals.length >= 3);
  });

  it('neutral answers reproduce the framework totals (9.05 vs 5.0)', () => {
    const out = finished(
      run([
        'not sure',
        'not sure',
        'not sure',
        'not sure',
        'not sure',
        'not sure',
        'other',
        'not sure',
        'not sure',
        'not sure',
      ]),
    );
    const verdict = out.effects[0]?.verdict;
    assert.ok(verdict);
    assert.equal(verdict.scores.adjustments.length, 0);
    assert.ok(Math.abs(verdict.scores.loraTotal - 9.05) < 1e-9);
    assert.ok(Math.abs(verdict.scores.fullTotal - 5.0) < 1e-9);
  });

  it('answers shift weights and scores visibly, each with a reason and an effect', () => {
    const out = finished(
      run(['under 1k', 'asap', 'yes', 'yes', 'yes', '4', 'weekly', 'creative writing', '3', '70b']),
    );
    const verdict = out.effects[0]?.verdict;
    assert.ok(verdict);
    const weights = verdict.scores.rows.reduce((s, r) => s + r.weight, 0);
    assert.ok(Math.abs(weights - 1) < 1e-9);
    assert.ok(verdict.drivers.length >= 5);
    for (const d of verdict.drivers) assert.ok(d.reasons.length > 0 && Number.isFinite(d.effect));
    const performance = verdict.scores.rows.find((r) => r.criterion === 'performance');
    assert.equal(performance?.lora, 8 - 3 - 2);
  });

  it('an answer it cannot use gets one short line and the choices, not the whole question, and loses nothing', () => {
    let out = step(null, { kind: 'start' }, now);
    out = step(out.state, inputFromText('$5k'), now);
    const before = out.state;
    out = step(before, inputFromText('when pigs fly'), now);
    assert.deepEqual(out.state, before);
    const reply = out.replies[0];
    assert.match(
      reply?.text ?? '',
      /^\*Question 2 of 9\*: I couldn't use that answer: "when pigs fly" is not a time span or a date\. Try e\.g\./,
    );
    assert.doesNotMatch(reply?.text ?? '', /How soon do you need results/);
    assert.ok((reply?.buttons ?? []).some((b) => b.value === '1w_2w'));
  });

  it('back, restart and cancel work at any point, across follow-ups', () => {
    let out = step(null, { kind: 'start' }, now);
    for (const line of ['under 1k', '10 days', 'yes', 'no', 'yes'])
      out = step(out.state, inputFromText(line), now);
    assert.equal(out.state?.answers.variants?.value, 'yes');
    out = step(out.state, inputFromText('back'), now);
    assert.equal(out.state?.answers.variants, undefined, 'back from the variant count reopens variants');
    assert.match(text(out.replies), /Question 5 of 9/);
    out = step(out.state, inputFromText('start over'), now);
    assert.deepEqual(out.state?.answers, {});
    out = step(out.state, inputFromText('back'), now);
    assert.match(out.replies[0]?.text ?? '', /first question/);
    out = step(out.state, inputFromText('cancel'), now);
    assert.equal(out.state, null);
    assert.match(out.replies[0]?.text ?? '', /cancelled/);
  });

  it('one message answers many questions, says what it understood in one list, and asks only the rest', () => {
    const out = run(
      [],
      'we have about $5k and two weeks, a 7B model, a support bot with one variant per client, retrained monthly',
    );
    const understood = out.replies.find((r) => r.text.startsWith('From your message:'));
    assert.ok(understood);
    assert.equal(understood.replaceKey, 'decide-question');
    for (const line of [
      'Budget: $5,000',
      'Timeline: 2 weeks',
      'Model: 7B',
      'Task: Customer service',
      'Variants: Yes',
      'Updates: Every month',
    ])
      assert.ok(understood.text.includes(line), `${line} in\n${understood.text}`);
    assert.deepEqual(Object.keys(out.state?.answers ?? {}).sort(), [
      'budget',
      'model',
      'task',
      'timeline',
      'updates',
      'variants',
    ]);
    assert.match(out.replies.at(-1)?.text ?? '', /Question 3 of 10\*: Is about 95%/);
  });

  it('a later message corrects any answer, while asking and after the recommendation', () => {
    let out = run(['about $5k', '2 weeks']);
    out = step(out.state, inputFromText('actually the budget is $20k'), now);
    assert.equal(out.state?.answers.budget?.usd, 20000);
    assert.match(text(out.replies), /Budget: \$20,000 \(was \$5,000\)/);
    assert.match(out.replies.at(-1)?.text ?? '', /Question 3 of 9/, 'the open question is asked again');
    out = finished(
      run(['under 1k', 'asap', 'yes', 'no', 'no', 'weekly', 'support bot', 'just me', '7b', 'no']),
    );
    const corrected = step(out.state, inputFromText('actually we need the best possible'), now);
    assert.equal(corrected.state?.answers.performance?.value, 'no');
    assert.match(text(corrected.replies), /The recommendation changes: LoRA -> Hybrid/);
    assert.equal(corrected.effects.length, 1, 'the changed decision is recorded again');
  });

  it('keeps the finished answers: "why" explains, "what if" re-scores without changing them', () => {
    const out = finished(
      run(['about $5k', '2 weeks', 'yes', 'no', 'no', 'monthly', 'support bot', 'just me', '7b', 'no']),
    );
    assert.equal(out.effects[0]?.verdict.recommendation, 'lora');
    const why = step(out.state, inputFromText('why?'), now);
    assert.equal(why.state, out.state);
    assert.match(text(why.replies), /\*Why LoRA\*: no reason of quality points to full fine-tuning/);
    assert.match(text(why.replies), /"Time to market < 2 weeks"/);
    const whatIf = step(out.state, inputFromText('what if it had to be the best possible?'), now);
    assert.equal(whatIf.state, out.state, 'nothing kept');
    assert.match(text(whatIf.replies), /The recommendation flips: LoRA -> \*Hybrid\*/);
    const stays = step(out.state, inputFromText('what if the budget were $20k'), now);
    assert.match(text(stays.replies), /The recommendation stays LoRA/);
    assert.match(text(stays.replies), /now met for full fine-tuning: "Budget > \$10,000"/);
  });

  it('an ambiguous answer is a short clarifying question with options; a number or a button answers it', () => {
    let out = step(null, { kind: 'start' }, now);
    out = step(out.state, inputFromText('no budget'), now);
    const ask = out.replies.at(-1);
    assert.match(
      ask?.text ?? '',
      /By "no budget", do you mean no money is set aside, or no fixed limit\?\n1\) No money set aside \(\$0\) {3}2\) No fixed limit/,
    );
    assert.deepEqual(
      ask?.buttons?.slice(0, 2).map((b) => b.value),
      ['c1', 'c2'],
    );
    out = step(out.state, inputFromText('2'), now);
    assert.equal(out.state?.answers.budget?.bucket, 'over_10k');
    assert.match(out.replies.at(-1)?.text ?? '', /Question 2 of 9/);
  });

  it('reads a bare number the same way on every question and says how', () => {
    let out = step(null, { kind: 'start' }, now);
    out = step(out.state, inputFromText('5'), now);
    assert.match(out.replies.at(-1)?.text ?? '', /Is that \$5 or \$5,000\?/);
    out = step(out.state, inputFromText('$5,000'), now);
    out = step(out.state, inputFromText('3'), now);
    assert.equal(out.state?.answers.timeline?.bucket, '2w_1m');
    assert.match(text(out.replies), /read "3" as choice 3: 2 weeks to a month/);
    out = run(['5k', '2 weeks', 'yes', 'no', 'no', 'monthly', 'support bot', '3']);
    assert.equal(out.state?.answers.team?.size, 3, 'on a question that asks for a number, it is that number');
  });

  it('"why" while asking says what the framework does with the answer', () => {
    const out = step(run(['5k']).state, inputFromText('why do you ask?'), now);
    assert.match(
      out.replies[0]?.text ?? '',
      /Why this question: The framework: results needed in under 2 weeks point to LoRA/,
    );
    assert.match(out.replies[0]?.text ?? '', /Question 2 of 9/);
  });

  it('"help", "?" or "huh?" while asking: the same question again with what can be typed, nothing answered', () => {
    const asked = run(['5k']);
    for (const said of ['help', '?', 'huh?', 'What do you mean?', "I don't understand", 'HELP!']) {
      const out = step(asked.state, inputFromText(said), now);
      assert.deepEqual(out.state, asked.state, said);
      assert.equal(out.replies.length, 1, said);
      assert.match(
        out.replies[0]?.text ?? '',
        /^Answer in your own words or pick a button; "why\?" says/,
        said,
      );
      assert.match(out.replies[0]?.text ?? '', /Question 2 of 9/, said);
    }
    // In a clarification, the clarification is asked again.
    const clarifying = run(['5']);
    const out = step(clarifying.state, inputFromText('?'), now);
    assert.deepEqual(out.state, clarifying.state);
    assert.match(out.replies[0]?.text ?? '', /Is that \$5 or \$5,000\?/);
  });

  it('starts a new questionnaire state as version 1 with the index of the open question', () => {
    const out = run([], 'a 13b model');
    const state = out.state as QuestionnaireState;
    assert.equal(state.version, 1);
    assert.equal(QUESTIONS[state.index]?.id, 'budget');
  });
});
