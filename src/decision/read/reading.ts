/**
 * What reading an answer gives: an answer (with how it was read, when that is not obvious), a
 * short clarifying question with options, or nothing, with why. Topic readers read a whole reply
 * (`read`) or find their answer inside a longer message (`find`).
 */
import type { AnswerOf, Answers, QuestionId } from '../answers';

export type { AnswerOf };

export interface Option<K extends QuestionId = QuestionId> {
  id: string;
  label: string;
  answer: AnswerOf<K>;
}

export type Reading<K extends QuestionId = QuestionId> =
  /** `also`: answers to follow-up questions the same words gave ("3 variants" answers the count). */
  | { kind: 'answer'; answer: AnswerOf<K>; how?: string; also?: Partial<Answers> }
  | { kind: 'ask'; ask: string; options: Option<K>[] }
  | { kind: 'none'; why: string };

export interface ReadContext {
  /** The clock deadlines are read against. */
  now: Date;
  /** The question being asked, which reads bare values its own way. */
  current?: QuestionId;
}

export interface Found<K extends QuestionId = QuestionId> {
  reading: Reading<K>;
  start: number;
  end: number;
}

export interface TopicReader<K extends QuestionId> {
  /** Reads a reply that answers this question (cleaned text). */
  read(text: string, ctx: ReadContext): Reading<K>;
  /** Finds this question's answer inside a longer message (cleaned, other answers blanked out). */
  find(text: string, ctx: ReadContext): Found<K> | undefined;
}

export const answer = <K extends QuestionId>(
  value: AnswerOf<K>,
  how?: string,
  also?: Partial<Answers>,
): Reading<K> => ({
  kind: 'answer',
  answer: value,
  ...(how ? { how } : {}),
  ...(also ? { also } : {}),
});

export const none = <K extends QuestionId>(why: string): Reading<K> => ({ kind: 'none', why });

export const at = <K extends QuestionId>(reading: Reading<K>, start: number, end: number): Found<K> => ({
  reading,
  start,
  end,
});
