/**
 * The questionnaire's replies while it asks: a question with its choices, the answer that
 * replaces it, what one message was understood to say, a short clarifying question, and a short
 * note when an answer could not be used (never the whole question again).
 */
import type { Button, Reply } from '../chat/replies';
import type { QuestionId } from './answers';
import type { Position } from './flow';
import { type AnyQuestion, type Choice, questionById } from './questions';
import type { Option } from './read/reading';

export const QUESTION_KEY = 'decide-question';
export const ANSWER_ACTION = 'decide:answer';
export const NAV_ACTION = 'decide:nav';

export function progressMarker(number: number, total: number): string {
  return `Question ${number} of ${total}`;
}

/** Where a question stands among the planned ones (a follow-up not yet planned goes last). */
export function numberOf(id: QuestionId, position: Position): number {
  const index = position.planned.indexOf(id);
  return index >= 0 ? index + 1 : position.total;
}

function navigation(position: Position): Button[] {
  return [
    ...(position.number > 1 ? [{ actionId: NAV_ACTION, value: 'back', label: 'Back' }] : []),
    { actionId: NAV_ACTION, value: 'restart', label: 'Restart' },
    { actionId: NAV_ACTION, value: 'cancel', label: 'Cancel', style: 'danger' as const },
  ];
}

function answerButtons(options: readonly { id: string; label: string }[]): Button[] {
  return options.map((c) => ({ actionId: ANSWER_ACTION, value: c.id, label: c.label }));
}

const numbered = (options: readonly { label: string }[]) =>
  options.map((c, i) => `${i + 1}) ${c.label}`).join('   ');

export function questionReply(question: AnyQuestion, position: Position, prefix?: string): Reply {
  const choices = question.choices as readonly Choice<unknown>[];
  const how =
    question.numbers === 'choice'
      ? `_Reply with a number or type your own answer (${question.hint}). Type back, restart or cancel at any time._`
      : `_Type your answer (${question.hint}) or pick a button. Type back, restart or cancel at any time._`;
  const lines = [
    ...(prefix ? [prefix] : []),
    `*${progressMarker(numberOf(question.id, position), position.total)}*: ${question.prompt}`,
    question.numbers === 'choice' ? numbered(choices) : choices.map((c) => c.label).join(' / '),
    how,
  ];
  return {
    text: lines.join('\n'),
    key: QUESTION_KEY,
    buttons: [...answerButtons(choices), ...navigation(position)],
  };
}

/** An answer that could not be used: one line on why and what works, with the choices as buttons. */
export function unreadableReply(question: AnyQuestion, position: Position, why: string): Reply {
  const choices = question.choices as readonly Choice<unknown>[];
  return {
    text: `*${progressMarker(numberOf(question.id, position), position.total)}*: I couldn't use that answer: ${why}. Try ${question.hint}, or pick one.`,
    key: QUESTION_KEY,
    buttons: [...answerButtons(choices), ...navigation(position)],
  };
}

/** A short clarifying question: numbered options (typed or pressed), nothing else repeated. */
export function clarificationReply(
  id: QuestionId,
  ask: string,
  options: readonly Option[],
  position: Position,
  prefix?: string,
): Reply {
  const question = questionById(id);
  return {
    text: [
      ...(prefix ? [prefix] : []),
      `*${progressMarker(numberOf(id, position), position.total)}* (${question.topic.toLowerCase()}): ${ask}`,
      numbered(options),
      '_Pick one, or type the answer another way._',
    ].join('\n'),
    key: QUESTION_KEY,
    buttons: [...answerButtons(options), ...navigation(position)],
  };
}

/** Replaces an answered question (and its buttons) with the answer, so the thread reads as a conversation. */
export function answeredReply(
  question: AnyQuestion,
  number: number,
  total: number,
  label: string,
  how?: string,
): Reply {
  return {
    text: `*${progressMarker(number, total)}*: ${question.prompt}\n> ${label}${how ? `\n_(${how})_` : ''}`,
    replaceKey: QUESTION_KEY,
  };
}

export interface UnderstoodLine {
  id: QuestionId;
  label: string;
  how?: string;
  /** The earlier answer this one replaced. */
  was?: string;
  /** Why a phrase for this question could not be used. */
  failed?: string;
  /** A clarifying question follows. */
  asking?: boolean;
}

/** What one message was understood to say, one line per question, replacing the open question. */
export function understoodReply(lines: UnderstoodLine[], heading = 'From your message:'): Reply {
  const line = (l: UnderstoodLine) => {
    const topic = questionById(l.id).topic;
    if (l.failed) return `- ${topic}: not used (${l.failed})`;
    if (l.asking) return `- ${topic}: one question below`;
    const change =
      l.was !== undefined && l.was !== l.label ? ` (was ${l.was})` : l.was === l.label ? ' (unchanged)' : '';
    return `- ${topic}: ${l.label}${change}${l.how ? ` _(${l.how})_` : ''}`;
  };
  return { text: [heading, ...lines.map(line)].join('\n'), replaceKey: QUESTION_KEY };
}
