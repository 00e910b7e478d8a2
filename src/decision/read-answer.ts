/**
 * Reads a reply to one question. The same rule for numbers on every question: on questions with
 * numbered choices a bare number picks that choice; on questions that ask for a quantity
 * (dollars, people, billions of parameters, variants, a share) it is that quantity. The reading
 * says which it was.
 */
import { bareNumber } from '../parsing/numbers';
import { cleanAnswer, quoted } from '../parsing/text';
import type { QuestionId } from './answers';
import type { AnyQuestion, Choice } from './questions';
import { answer, type ReadContext, type Reading } from './read/reading';
import { variantCountAnswer } from './read/yes-no-topics';

export const UNSURE_WORDS =
  /^(?:i )?(?:not sure|unsure|don'?t know|do not know|dunno|idk|no idea|no clue|skip|pass|\?+|n\/a|tbd|unknown|undecided|not (?:yet )?decided(?: yet)?|not known(?: yet)?|haven'?t decided(?: yet)?|can'?t say|hard to say|dont know)(?: yet)?$/;

const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  last: -1,
};
const PICK =
  /^(?:(?:option|choice|number|no\.?|#)\s*(\d+)|(?:the )?(first|second|third|fourth|fifth|sixth|last)(?: one| option| choice)?)$/;

function choices(question: AnyQuestion): readonly Choice<unknown>[] {
  return question.choices as readonly Choice<unknown>[];
}

function pick(question: AnyQuestion, n: number, said: string): Reading {
  const list = choices(question);
  const chosen = n === -1 ? list.at(-1) : list[n - 1];
  if (!chosen) return askChoice(question, `There are ${list.length} choices: which one?`);
  return answer(
    chosen.answer as never,
    `read ${quoted(said)} as choice ${list.indexOf(chosen) + 1}: ${chosen.label}`,
  );
}

/** A clarifying question offering the question's own choices. */
export function askChoice(question: AnyQuestion, ask: string): Reading {
  return {
    kind: 'ask',
    ask,
    options: choices(question).map((c) => ({ id: c.id, label: c.label, answer: c.answer as never })),
  };
}

/** The question's answer for "not sure", when it has one. */
export function unsureOf(question: AnyQuestion): Reading | undefined {
  if (question.id === 'variantCount')
    return answer<'variantCount'>(variantCountAnswer(3), 'not sure: the cost estimate takes 3 variants');
  const unsure = choices(question).find((c) => c.id === 'unknown' || c.id === 'unsure');
  return unsure ? answer(unsure.answer as never) : undefined;
}

/** Reads a reply that answers `question`. */
export function readAnswer(question: AnyQuestion, input: string, ctx: ReadContext): Reading {
  const text = cleanAnswer(input);
  if (!text) return { kind: 'none', why: 'the answer is empty' };
  const byId = choices(question).find((c) => c.id === text || cleanAnswer(c.label) === text);
  if (byId) return answer(byId.answer as never);
  if (UNSURE_WORDS.test(text)) {
    const unsure = unsureOf(question);
    if (unsure) return unsure;
  }
  const picked = PICK.exec(text);
  if (picked) return pick(question, picked[1] ? Number(picked[1]) : (ORDINALS[picked[2] ?? ''] ?? 0), text);
  const n = bareNumber(text);
  if (n !== undefined) return readNumber(question, n);
  return question.reader.read(text, { ...ctx, current: question.id as QuestionId }) as Reading;
}

/** A bare number: the numbered choice, or the quantity the question asks for. */
export function readNumber(question: AnyQuestion, n: number): Reading {
  const list = choices(question);
  if (question.numbers === 'choice') {
    if (Number.isInteger(n) && n >= 1 && n <= list.length) return pick(question, n, String(n));
    if (question.fromNumber) return question.fromNumber(n) as Reading;
    return askChoice(question, `There are ${list.length} choices, numbered 1 to ${list.length}: which one?`);
  }
  return question.fromNumber
    ? (question.fromNumber(n) as Reading)
    : askChoice(question, `What does "${n}" stand for?`);
}
