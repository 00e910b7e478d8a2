import type { Reply } from '../chat/replies';
import { normalise } from '../parsing/numbers';
import type { Answers } from './answers';
import type { MeasuredEvidence } from './evidence';
import { answeredReply, decisionReplies, questionReply } from './messages';
import { type AnyQuestion, QUESTIONS, readAnswer } from './questions';
import { decide, type Verdict } from './recommendation';

export interface QuestionnaireState {
  version: 1;
  /** Index of the question being asked. */
  index: number;
  answers: Answers;
  startedAt: string;
  /** Measurements of finished comparisons, by task, that score what they measured. */
  evidence?: MeasuredEvidence[];
  /** The comparison the user asked to decide with (`decide job=...`). */
  requestedJob?: string;
}

export type QuestionnaireInput =
  | { kind: 'start'; evidence?: MeasuredEvidence[]; requestedJob?: string }
  | { kind: 'resume' }
  /** Typed text or a choice id from a button or select. */
  | { kind: 'answer'; text: string }
  | { kind: 'back' }
  | { kind: 'restart' }
  | { kind: 'cancel' };

export type QuestionnaireEffect = { kind: 'record-decision'; answers: Answers; verdict: Verdict };

export interface StepOutcome {
  /** `null` once the questionnaire has ended (finished or cancelled). */
  state: QuestionnaireState | null;
  replies: Reply[];
  effects: QuestionnaireEffect[];
}

const NAVIGATION: Record<string, 'back' | 'restart' | 'cancel'> = {
  back: 'back',
  previous: 'back',
  undo: 'back',
  'go back': 'back',
  restart: 'restart',
  'start over': 'restart',
  reset: 'restart',
  'start again': 'restart',
  cancel: 'cancel',
  quit: 'cancel',
  stop: 'cancel',
  exit: 'cancel',
  abort: 'cancel',
};

/** Maps typed "back", "start over", "cancel" to navigation; anything else is an answer. */
export function inputFromText(text: string): QuestionnaireInput {
  const nav = NAVIGATION[normalise(text)];
  return nav ? { kind: nav } : { kind: 'answer', text };
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

function evidenceIntro(evidence: MeasuredEvidence[]): string[] {
  if (!evidence.length) return [];
  const tasks = evidence.map((e) => `${e.task} (job ${e.jobId})`).join(', ');
  return [
    `Measured here so far: ${tasks}. When your task matches, those measurements score the criteria they measured.`,
  ];
}

function question(index: number): AnyQuestion {
  const q = QUESTIONS[index];
  if (!q) throw new Error(`no question at index ${index}`);
  return q;
}

function ask(state: QuestionnaireState, prefix?: string): StepOutcome {
  return { state, replies: [questionReply(question(state.index), state, prefix)], effects: [] };
}

/** The questionnaire as a pure reducer: (state, input) -> state, replies, effects. */
export function step(state: QuestionnaireState | null, input: QuestionnaireInput, now: Date): StepOutcome {
  if (input.kind === 'start' || input.kind === 'restart' || state === null) {
    const evidence = input.kind === 'start' ? (input.evidence ?? []) : (state?.evidence ?? []);
    const requestedJob = input.kind === 'start' ? input.requestedJob : state?.requestedJob;
    const intro =
      input.kind === 'restart'
        ? 'Starting over.'
        : [
            `Let's find the right method for your task: ${QUESTIONS.length} short questions.`,
            ...evidenceIntro(evidence),
          ].join('\n');
    return ask(newState(now, evidence, requestedJob), intro);
  }
  switch (input.kind) {
    case 'resume':
      return ask(
        state,
        `Picking up where you left off (question ${state.index + 1} of ${QUESTIONS.length}).`,
      );
    case 'cancel':
      return {
        state: null,
        replies: [
          { text: 'Questionnaire cancelled. Nothing was saved. Start again any time with /faceoff decide.' },
        ],
        effects: [],
      };
    case 'back': {
      if (state.index === 0) return ask(state, 'This is the first question.');
      const index = state.index - 1;
      const answers = { ...state.answers };
      delete answers[question(index).id];
      return ask({ ...state, index, answers });
    }
    case 'answer': {
      const current = question(state.index);
      const parsed = readAnswer(current, input.text);
      if (!parsed.ok) return ask(state, `I couldn't use that answer: ${parsed.error}`);
      const answers: Answers = { ...state.answers, [current.id]: parsed.value };
      const next: QuestionnaireState = { ...state, index: state.index + 1, answers };
      const answered = answeredReply(current, state.index, (parsed.value as { label: string }).label);
      if (next.index < QUESTIONS.length) {
        const asked = ask(next);
        return { ...asked, replies: [answered, ...asked.replies] };
      }
      const verdict = decide(answers, evidenceFor(state, answers));
      return {
        state: null,
        replies: [answered, ...decisionReplies(answers, verdict)],
        effects: [{ kind: 'record-decision', answers, verdict }],
      };
    }
  }
}
