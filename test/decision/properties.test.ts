/**
 * Properties that hold for every combination of answers and every input: each answer moves the
 * decision the way the framework says (variants never count against LoRA), and no text of any
 * length or character set crashes a parser or the questionnaire.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Answers, QuestionId } from '../../src/decision/answers';
import { inputFromText, type QuestionnaireState, step } from '../../src/decision/questionnaire';
import { QUESTIONS, questionById } from '../../src/decision/questions';
import { readAnswer } from '../../src/decision/read-answer';
import { decide, type Recommendation } from '../../src/decision/recommendation';
import { understand } from '../../src/decision/understand';
import { parseDeadline } from '../../src/parsing/deadline';
import { parseDurationSpan } from '../../src/parsing/duration';
import { parseFrequency } from '../../src/parsing/frequency';
import { parseModel, parseModelSizeB } from '../../src/parsing/model-size';
import { parseMoney, parseMoneyReading } from '../../src/parsing/money';
import { readTask } from '../../src/parsing/task-description';
import { parseTeam } from '../../src/parsing/team-size';
import { readYesNo } from '../../src/parsing/yes-no';

const NOW = new Date('2026-01-07T12:00:00Z');
const RANK: Record<Recommendation, number> = { full: 0, hybrid: 1, lora: 2 };

/** Any answer a question's choices give, or none. */
const answerOf = (id: QuestionId) =>
  fc.option(
    fc.constantFrom(...(questionById(id).choices as readonly { answer: unknown }[]).map((c) => c.answer)),
    { nil: undefined },
  );

const anyAnswers: fc.Arbitrary<Answers> = fc
  .record(
    Object.fromEntries(QUESTIONS.map((q) => [q.id, answerOf(q.id)])) as Record<
      QuestionId,
      fc.Arbitrary<unknown>
    >,
  )
  .map((a) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Answers);

/** An answer the framework says favours one method, against leaving the question open. */
const LORA_SIDE: [QuestionId, unknown][] = [
  ['budget', { bucket: 'under_1k', label: 'Under $1k' }],
  ['timeline', { bucket: 'under_1w', label: 'Within a week' }],
  ['timeline', { bucket: '1w_2w', label: '1 to 2 weeks' }],
  ['performance', { value: 'yes', label: 'Yes' }],
  ['behaviour', { value: 'no', label: 'No' }],
  ['variants', { value: 'yes', label: 'Yes' }],
  ['updates', { value: 'weekly', label: 'Weekly' }],
  ['updates', { value: 'monthly', label: 'Monthly' }],
  ['team', { bucket: 'small', label: 'Fewer than 5' }],
  ['stage', { value: 'prototype', label: 'Prototyping' }],
  ['model', { bucket: 'over_60b', paramsB: 70, label: '70B' }],
];
const FULL_SIDE: [QuestionId, unknown][] = [
  ['performance', { value: 'no', label: 'No' }],
  ['behaviour', { value: 'yes', label: 'Yes' }],
  ['domain', { value: 'yes', label: 'Yes' }],
  ['task', { value: 'creative_writing', label: 'Creative writing' }],
  ['budget', { bucket: 'over_10k', label: 'Over $10k' }],
  ['timeline', { bucket: 'over_1m', label: 'More than a month' }],
];

const without = (a: Answers, id: QuestionId): Answers => {
  const copy = { ...a };
  delete copy[id];
  if (id === 'variants') delete copy.variantCount;
  return copy;
};

describe('every answer moves the decision the way the framework says', () => {
  it('an answer for LoRA never lowers its lead nor moves the recommendation towards full fine-tuning', () => {
    fc.assert(
      fc.property(anyAnswers, fc.constantFrom(...LORA_SIDE), (answers, [id, value]) => {
        const open = decide(without(answers, id));
        const said = decide({ ...without(answers, id), [id]: value });
        assert.ok(said.margin >= open.margin - 1e-9, `${id}: ${open.margin} -> ${said.margin}`);
        assert.ok(
          RANK[said.recommendation] >= RANK[open.recommendation],
          `${id}: ${open.recommendation} -> ${said.recommendation}`,
        );
      }),
      { numRuns: 600 },
    );
  });

  it('several variants never count against LoRA, whatever else was said', () => {
    fc.assert(
      fc.property(anyAnswers, fc.constantFrom('no', 'unsure', undefined), (answers, other) => {
        const base = without(answers, 'variants');
        const alternative = other ? { ...base, variants: { value: other, label: other } } : base;
        const several = decide({ ...base, variants: { value: 'yes', label: 'Yes' } });
        const otherwise = decide(alternative as Answers);
        assert.ok(several.margin >= otherwise.margin - 1e-9);
        assert.ok(RANK[several.recommendation] >= RANK[otherwise.recommendation]);
      }),
      { numRuns: 400 },
    );
  });

  it("an answer for full fine-tuning never raises LoRA's lead nor moves the recommendation towards LoRA", () => {
    fc.assert(
      fc.property(anyAnswers, fc.constantFrom(...FULL_SIDE), (answers, [id, value]) => {
        const open = decide(without(answers, id));
        const said = decide({ ...without(answers, id), [id]: value });
        assert.ok(said.margin <= open.margin + 1e-9, `${id}: ${open.margin} -> ${said.margin}`);
        assert.ok(
          RANK[said.recommendation] <= RANK[open.recommendation],
          `${id}: ${open.recommendation} -> ${said.recommendation}`,
        );
      }),
      { numRuns: 600 },
    );
  });

  it('"95% is not acceptable" never ends in plain LoRA', () => {
    fc.assert(
      fc.property(anyAnswers, (answers) => {
        assert.notEqual(
          decide({ ...answers, performance: { value: 'no', label: 'No' } }).recommendation,
          'lora',
        );
      }),
      { numRuns: 400 },
    );
  });
});

/** Text of any length and character set, with the words and digits the parsers look for mixed in. */
const anyText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          '$',
          '5k',
          '-',
          '2-3',
          'weeks',
          'x',
          '8x7b',
          'by',
          'friday',
          'q3',
          'no',
          'yes',
          ',',
          'every',
          'once a',
          'not',
          'per',
          '%',
          '99',
          '1/2',
          'mixtral',
          'llama',
          'team of',
          'actually',
          'what if',
          '\u200b',
          '<@U1>',
          '\n',
        ),
        fc.string({ maxLength: 6 }),
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join(' ')),
  fc.nat({ max: 20_000 }).map((n) => '9'.repeat(n)),
  fc.nat({ max: 5_000 }).map((n) => '1 - '.repeat(n)),
);

describe('no input crashes a parser or the questionnaire', () => {
  it('every parser returns a result for any text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        parseMoney(text);
        parseMoneyReading(text);
        parseDurationSpan(text);
        parseDeadline(text, NOW);
        parseFrequency(text);
        parseModel(text);
        parseModelSizeB(text);
        parseTeam(text);
        readTask(text);
        readYesNo(text);
        understand(text, { now: NOW });
        for (const q of QUESTIONS) {
          const reading = readAnswer(q, text, { now: NOW });
          assert.ok(['answer', 'ask', 'none'].includes(reading.kind));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the reducer takes any sequence of inputs and keeps a state that survives storage', () => {
    const input = fc.oneof(
      anyText.map((t) => inputFromText(t)),
      fc.constantFrom(
        ...[
          'back',
          'restart',
          'cancel',
          'why?',
          'what if the budget were $20k',
          'c1',
          '2',
          'yes',
          'not sure',
        ].map(inputFromText),
      ),
      fc.constant({ kind: 'resume' as const }),
    );
    fc.assert(
      fc.property(
        fc.option(anyText, { nil: undefined }),
        fc.array(input, { maxLength: 25 }),
        (first, inputs) => {
          let state: QuestionnaireState | null = step(
            null,
            { kind: 'start', ...(first ? { text: first } : {}) },
            NOW,
          ).state;
          for (const next of inputs) {
            const out = step(state, next, NOW);
            for (const reply of out.replies) assert.equal(typeof reply.text, 'string');
            state = out.state;
            if (state) assert.deepEqual(JSON.parse(JSON.stringify(state)), state);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('long and adversarial messages are read quickly', () => {
    const samples = [
      '1 - '.repeat(5000),
      '$'.repeat(10000),
      'a '.repeat(10000),
      '8x'.repeat(5000),
      'every '.repeat(3000),
      'no, '.repeat(4000),
      '5k and '.repeat(2000),
      'by friday '.repeat(2000),
    ];
    for (const text of samples) {
      const started = performance.now();
      understand(text, { now: NOW, current: 'budget' });
      for (const q of QUESTIONS) readAnswer(q, text, { now: NOW });
      const took = performance.now() - started;
      assert.ok(took < 1500, `${text.slice(0, 12)}… took ${took.toFixed(0)} ms`);
    }
  });
});
