/**
 * The questionnaire's state and the step every path ends with: ask the queued clarifying
 * question, the next open question, or give the recommendation (and record it).
 */
import type { Reply } from '../chat/replies';
import type { PendingQuestion } from './answering';
import type { Answers, QuestionId } from './answers';
import { decisionReplies } from './decision-messages';
import type { MeasuredEvidence } from './evidence';
import { type Position, position } from './flow';
import { clarificationReply, questionReply } from './messages';
import { QUESTIONS, questionById } from './questions';
import { decide, type Verdict } from './recommendation';

export interface QuestionnaireState {
  version: 1;
  /** Index in QUESTIONS of the question being asked; QUESTIONS.length once the recommendation is given. */
  index: number;
  answers: Answers;
  startedAt: string;
  /** Measurements of finished comparisons, by task, that score what they measured. */
  evidence?: MeasuredEvidence[];
  /** The comparison the user asked to decide with (`decide job=...`). */
  requestedJob?: string;
  /** Clarifying questions waiting for an answer; the first is the one asked. */
  pending?: PendingQuestion[];
  /** When the recommendation was given; the answers stay for "why", "what if" and corrections. */
  finishedAt?: string;
}

export type QuestionnaireInput =
  /** `text`: a first message describing the project (`/faceoff decide we have $5k and ...`). */
  | { kind: 'start'; evidence?: MeasuredEvidence[]; requestedJob?: string; text?: string }
  | { kind: 'resume' }
  /** Typed text or a choice id from a button or select. */
  | { kind: 'answer'; text: string }
  | { kind: 'back' }
  | { kind: 'restart' }
  | { kind: 'cancel' };

export type QuestionnaireEffect = { kind: 'record-decision'; answers: Answers; verdict: Verdict };

export interface StepOutcome {
  /** `null` once the questionnaire has ended (cancelled). */
  state: QuestionnaireState | null;
  replies: Reply[];
  effects: QuestionnaireEffect[];
}

export function newState(
  now: Date,
  evidence: MeasuredEvidence[] = [],
  requestedJob?: string,
): QuestionnaireState {
  return {
    version: 1,
    index: 0,
    answers: {},
    startedAt: now.toISOString(),
    ...(evidence.length ? { evidence } : {}),
    ...(requestedJob ? { requestedJob } : {}),
  };
}

/** The measurements for the answered task; those of the requested comparison whatever the task. */
export function evidenceFor(state: QuestionnaireState, answers: Answers): MeasuredEvidence | undefined {
  const all = state.evidence ?? [];
  return all.find((e) => e.task === answers.task?.value) ?? (state.requestedJob ? all[0] : undefined);
}

/** Everything the reducer derives from the state: the verdict for any answers, and where it stands. */
export interface Judge {
  verdict: (answers: Answers) => Verdict;
  position: (answers: Answers) => Position;
}

export function judgeFor(state: QuestionnaireState): Judge {
  const verdict = (answers: Answers) => decide(answers, evidenceFor(state, answers));
  return { verdict, position: (answers) => position(answers, (a) => verdict(a).recommendation) };
}

const indexOf = (id: QuestionId | undefined) =>
  id ? QUESTIONS.findIndex((q) => q.id === id) : QUESTIONS.length;

/** Asks what comes next: a queued clarifying question, the next open question, or the recommendation. */
export function proceed(
  state: QuestionnaireState,
  replies: Reply[],
  now: Date,
  prefix?: string,
): StepOutcome {
  const judge = judgeFor(state);
  const at = judge.position(state.answers);
  const [clarify] = state.pending ?? [];
  if (clarify) {
    const next = { ...state, index: indexOf(clarify.question) };
    return {
      state: next,
      replies: [...replies, clarificationReply(clarify.question, clarify.ask, clarify.options, at, prefix)],
      effects: [],
    };
  }
  if (at.current) {
    const next: QuestionnaireState = { ...state, index: indexOf(at.current) };
    delete next.finishedAt;
    return {
      state: next,
      replies: [...replies, questionReply(questionById(at.current), at, prefix)],
      effects: [],
    };
  }
  const verdict = judge.verdict(state.answers);
  const done: QuestionnaireState = { ...state, index: QUESTIONS.length, finishedAt: now.toISOString() };
  delete done.pending;
  return {
    state: done,
    replies: [...replies, ...(prefix ? [{ text: prefix }] : []), ...decisionReplies(state.answers, verdict)],
    effects: [{ kind: 'record-decision', answers: state.answers, verdict }],
  };
}
