/**
 * Reading a message while questions are open, and applying what it says: the open question's
 * own answer (single), or every answer one message gives (several, or a correction), with the
 * clarifying questions it raises queued.
 */
import type { Answers, QuestionId } from './answers';
import type { UnderstoodLine } from './messages';
import { questionById } from './questions';
import type { AnswerOf, Option, Reading } from './read/reading';
import { yesNoAnswer } from './read/yes-no-topics';
import { readAnswer } from './read-answer';
import { understand } from './understand';

/** A clarifying question waiting for its answer. */
export interface PendingQuestion {
  question: QuestionId;
  ask: string;
  options: Option[];
}

export type Interpretation =
  | { mode: 'single'; id: QuestionId; reading: Reading }
  | { mode: 'several'; readings: [QuestionId, Reading][]; correction: boolean };

/** What a message says: an answer to the open question, or answers to several (or other) ones. */
export function interpret(
  text: string,
  current: QuestionId | undefined,
  answers: Answers,
  now: Date,
): Interpretation {
  const understood = understand(text, { now, answers, ...(current ? { current } : {}) });
  const others = [...understood.readings.keys()].filter((id) => id !== current);
  if (current && others.length === 0 && !understood.correction) {
    const direct = readAnswer(questionById(current), text, { now, current });
    const found = understood.readings.get(current);
    return { mode: 'single', id: current, reading: direct.kind === 'none' && found ? found : direct };
  }
  return { mode: 'several', readings: [...understood.readings.entries()], correction: understood.correction };
}

/** Sets one answer, keeping variants and their number consistent. */
export function setAnswer(answers: Answers, id: QuestionId, value: unknown): Answers {
  const next: Answers = { ...answers, [id]: value };
  if (id === 'variants' && (value as AnswerOf<'variants'>).value !== 'yes') delete next.variantCount;
  if (id === 'variantCount' && next.variants?.value !== 'yes') next.variants = yesNoAnswer('yes');
  return next;
}

export interface Applied {
  answers: Answers;
  pending: PendingQuestion[];
  lines: UnderstoodLine[];
}

/** Applies readings in order: answers set (with what they replaced), questions queued, failures noted. */
export function applyReadings(start: Answers, readings: [QuestionId, Reading][]): Applied {
  let answers = start;
  const pending: PendingQuestion[] = [];
  const lines: UnderstoodLine[] = [];
  for (const [id, reading] of readings) {
    if (reading.kind === 'ask') {
      pending.push({ question: id, ask: reading.ask, options: reading.options as Option[] });
      lines.push({ id, label: '', asking: true });
      continue;
    }
    if (reading.kind === 'none') {
      lines.push({ id, label: '', failed: reading.why });
      continue;
    }
    const was = answers[id]?.label;
    answers = setAnswer(answers, id, reading.answer);
    lines.push({
      id,
      label: reading.answer.label,
      ...(reading.how ? { how: reading.how } : {}),
      ...(was !== undefined ? { was } : {}),
    });
    for (const [alsoId, value] of Object.entries(reading.also ?? {}) as [QuestionId, { label: string }][]) {
      if (readings.some(([other]) => other === alsoId)) continue;
      const before = answers[alsoId]?.label;
      answers = setAnswer(answers, alsoId, value);
      lines.push({ id: alsoId, label: value.label, ...(before !== undefined ? { was: before } : {}) });
    }
  }
  return { answers, pending, lines };
}

/** The option a reply picks from a clarifying question: its id, its number or its label. */
export function pickOption(options: readonly Option[], text: string): Option | undefined {
  const said = text
    .trim()
    .toLowerCase()
    .replace(/[.!?]+$/, '');
  const byNumber = /^\d+$/.test(said) ? options[Number(said) - 1] : undefined;
  return byNumber ?? options.find((o) => o.id === said || o.label.toLowerCase() === said);
}
