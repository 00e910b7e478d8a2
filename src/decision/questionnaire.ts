/**
 * The questionnaire as a pure reducer: step(state, input, now) -> { state, replies, effects }.
 * While questions are open a message answers the open one, or several at once; clarifying
 * questions queue; once everything planned is answered the recommendation is given and the state
 * is kept for "why", "what if" and corrections (./finished.ts).
 */

import { cleanAnswer } from '../parsing/text';
import { applyReadings, interpret, type PendingQuestion, pickOption, setAnswer } from './answering';
import type { Answers } from './answers';
import type { MeasuredEvidence } from './evidence';
import { whyQuestionLine } from './explain';
import { finishedStep } from './finished';
import {
  answeredReply,
  clarificationReply,
  numberOf,
  questionReply,
  understoodReply,
  unreadableReply,
} from './messages';
import {
  judgeFor,
  newState,
  proceed,
  type QuestionnaireInput,
  type QuestionnaireState,
  type StepOutcome,
} from './questionnaire-state';
import { MAIN_QUESTIONS, questionById } from './questions';

export {
  evidenceFor,
  judgeFor,
  newState,
  type QuestionnaireEffect,
  type QuestionnaireInput,
  type QuestionnaireState,
  type StepOutcome,
} from './questionnaire-state';

const NAVIGATION = new Map<string, 'back' | 'restart' | 'cancel'>(
  Object.entries({
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
  }),
);

/** Maps typed "back", "start over", "cancel" to navigation; anything else is an answer. */
export function inputFromText(text: string): QuestionnaireInput {
  // A Map, not an object: typed "__proto__" or "constructor" is an answer, not a lookup of Object's own members.
  const nav = NAVIGATION.get(cleanAnswer(text));
  return nav ? { kind: nav } : { kind: 'answer', text };
}

const WHY_ASK =
  /^(?:why(?: do you| are you)? ask(?:ing)?(?: this| that)?|why(?: does (?:this|that|it) matter)?|why\?*|what for|why (?:this|that) question)$/;

/** "help", "?", "huh", "what do you mean": the question again, with what can be typed. */
const HELP_ASK =
  /^(?:help(?: me| please)?|huh|what|eh|sorry|pardon|what do you mean|i don'?t (?:understand|get it)|how do i answer(?: this| that)?|options|hint|)$/;

const HELP_LINE = 'Answer in your own words or pick a button; "why?" says what this answer changes.';

function evidenceIntro(evidence: MeasuredEvidence[]): string[] {
  if (!evidence.length) return [];
  const tasks = evidence.map((e) => `${e.task} (job ${e.jobId})`).join(', ');
  return [
    `Measured here so far: ${tasks}. When your task matches, those measurements score the criteria they measured.`,
  ];
}

function withAlso(label: string, also: Partial<Answers> | undefined): string {
  const extra = Object.values(also ?? {}).map((v) => (v as { label: string }).label);
  return extra.length ? `${label} (${extra.join(', ')})` : label;
}

function answerWhileAsking(state: QuestionnaireState, text: string, now: Date): StepOutcome {
  const judge = judgeFor(state);
  const at = judge.position(state.answers);
  const [clarify, ...queued] = state.pending ?? [];
  if (clarify) {
    const option = pickOption(clarify.options, text);
    if (option) {
      const answers = setAnswer(state.answers, clarify.question, option.answer);
      const answered = answeredReply(
        questionById(clarify.question),
        numberOf(clarify.question, at),
        at.total,
        option.answer.label,
      );
      return proceed({ ...state, answers, pending: queued }, [answered], now);
    }
  }
  const current = clarify?.question ?? at.current;
  if (current && WHY_ASK.test(cleanAnswer(text))) {
    const ask = clarify
      ? clarificationReply(clarify.question, clarify.ask, clarify.options, at, whyQuestionLine(current))
      : questionReply(questionById(current), at, whyQuestionLine(current));
    return { state, replies: [ask], effects: [] };
  }
  if (current && HELP_ASK.test(cleanAnswer(text))) {
    const ask = clarify
      ? clarificationReply(clarify.question, clarify.ask, clarify.options, at, HELP_LINE)
      : questionReply(questionById(current), at, HELP_LINE);
    return { state, replies: [ask], effects: [] };
  }
  if (current && /^(?:what if|what about if|suppose|hypothetically)\b/.test(cleanAnswer(text))) {
    const note =
      '"What if" compares changed answers once the recommendation is out. For now, answer this question; to change an earlier answer, say e.g. "actually the budget is $20k".';
    const ask = clarify
      ? clarificationReply(clarify.question, clarify.ask, clarify.options, at, note)
      : questionReply(questionById(current), at, note);
    return { state, replies: [ask], effects: [] };
  }
  const reading = interpret(text, current, state.answers, now);
  if (reading.mode === 'single') {
    const question = questionById(reading.id);
    const r = reading.reading;
    if (r.kind === 'none') {
      const replies = clarify
        ? [
            clarificationReply(
              clarify.question,
              clarify.ask,
              clarify.options,
              at,
              `I couldn't use that answer: ${r.why}.`,
            ),
          ]
        : [unreadableReply(question, at, r.why)];
      return { state, replies, effects: [] };
    }
    if (r.kind === 'ask') {
      const pending: PendingQuestion[] = [
        { question: reading.id, ask: r.ask, options: r.options },
        ...queued,
      ];
      return proceed({ ...state, pending }, [], now);
    }
    const applied = applyReadings(state.answers, [[reading.id, r]]);
    const answered = answeredReply(
      question,
      numberOf(reading.id, at),
      at.total,
      withAlso(r.answer.label, r.also),
      r.how,
    );
    return proceed({ ...state, answers: applied.answers, pending: queued }, [answered], now);
  }
  if (reading.readings.length === 0) {
    const why = reading.correction
      ? 'I could not tell which answer to change'
      : 'nothing in it answers a question';
    const replies = clarify
      ? [clarificationReply(clarify.question, clarify.ask, clarify.options, at, `${why}.`)]
      : current
        ? [unreadableReply(questionById(current), at, why)]
        : [];
    return { state, replies, effects: [] };
  }
  const applied = applyReadings(state.answers, reading.readings);
  const stillOpen = clarify && !reading.readings.some(([id]) => id === clarify.question) ? [clarify] : [];
  const pending = [...applied.pending, ...stillOpen, ...queued];
  // A message that only raised a question ("mixtral": which size?) goes straight to it.
  const summary = applied.lines.every((l) => l.asking) ? [] : [understoodReply(applied.lines)];
  return proceed({ ...state, answers: applied.answers, pending }, summary, now);
}

function back(state: QuestionnaireState, now: Date): StepOutcome {
  const judge = judgeFor(state);
  const at = judge.position(state.answers);
  if (state.pending?.length) return proceed({ ...state, pending: [] }, [], now);
  const before = at.current ? at.planned.slice(0, at.planned.indexOf(at.current)) : at.planned;
  const previous = [...before].reverse().find((id) => state.answers[id] !== undefined);
  if (!previous) return proceed(state, [], now, 'This is the first question.');
  const answers = { ...state.answers };
  delete answers[previous];
  if (previous === 'variants') delete answers.variantCount;
  const reopened: QuestionnaireState = { ...state, answers };
  delete reopened.finishedAt;
  return proceed(reopened, [], now);
}

/** The questionnaire as a pure reducer: (state, input) -> state, replies, effects. */
export function step(state: QuestionnaireState | null, input: QuestionnaireInput, now: Date): StepOutcome {
  if (input.kind === 'start' || input.kind === 'restart' || state === null) {
    const evidence = input.kind === 'start' ? (input.evidence ?? []) : (state?.evidence ?? []);
    const requestedJob = input.kind === 'start' ? input.requestedJob : state?.requestedJob;
    const fresh = newState(now, evidence, requestedJob);
    const intro =
      input.kind === 'restart'
        ? 'Starting over.'
        : [
            `Let's find the right method for your task: ${MAIN_QUESTIONS.length} short questions, and a follow-up or two only where it changes the answer. You can also describe the whole project in one message (budget, deadline, model, task, variants, how often you retrain).`,
            ...evidenceIntro(evidence),
          ].join('\n');
    if (input.kind === 'start' && input.text?.trim()) {
      const first = answerWhileAsking(fresh, input.text, now);
      return { ...first, replies: [{ text: intro }, ...first.replies] };
    }
    return proceed(fresh, [], now, intro);
  }
  switch (input.kind) {
    case 'resume': {
      if (state.finishedAt) return finishedStep(state, 'help', now);
      const at = judgeFor(state).position(state.answers);
      return proceed(state, [], now, `Picking up where you left off (question ${at.number} of ${at.total}).`);
    }
    case 'cancel':
      return {
        state: null,
        replies: [
          { text: 'Questionnaire cancelled. Nothing was saved. Start again any time with /faceoff decide.' },
        ],
        effects: [],
      };
    case 'back':
      return back(state, now);
    case 'answer':
      return state.finishedAt
        ? finishedStep(state, input.text, now)
        : answerWhileAsking(state, input.text, now);
  }
}
