/**
 * After the recommendation: "why?" explains it, "what if ..." scores changed answers without
 * keeping them, and a correction ("actually the budget is $20k") changes the answers and gives
 * the recommendation again. Anything else gets one line on what works here.
 */
import { cleanAnswer, cleanMessage } from '../parsing/text';
import { applyReadings } from './answering';
import type { Answers } from './answers';
import { whyReply } from './explain';
import { understoodReply } from './messages';
import { judgeFor, proceed, type QuestionnaireState, type StepOutcome } from './questionnaire-state';
import type { Option } from './read/reading';
import { RECOMMENDATION_LABELS } from './recommendation';
import { understand } from './understand';
import { whatIfReply } from './what-if';

const WHY =
  /^(?:why|how come|explain(?: (?:it|that|this|please))?|reasons?|what are the reasons|justify(?: it)?|based on what|what (?:drove|drives|decided) (?:it|this|that)|why (?:not|so|is (?:it|that)|this|that|lora|full(?: fine-?tuning)?|hybrid|the hybrid(?: plan)?|not lora|not full(?: fine-?tuning)?)(?: .*)?)\??$/;
const WHAT_IF =
  /^(?:what if|what about|and if|suppose|supposing|imagine|hypothetically|how about|what would (?:happen|change|you say) if|would (?:it|that|the recommendation) change if|what changes if|what happens if|if)\b[\s,:]*/;

const short = (r: keyof typeof RECOMMENDATION_LABELS) => RECOMMENDATION_LABELS[r].split(':')[0];

const HELP =
  'The recommendation above stands. Ask "why?", "what if the budget were $20k?" (any answer changed), or correct an answer ("actually we have 3 engineers"). /faceoff decide starts a new questionnaire.';

function whatIf(state: QuestionnaireState, text: string, now: Date): StepOutcome {
  const judge = judgeFor(state);
  const { readings } = understand(text, { now, answers: state.answers });
  let answers: Answers = state.answers;
  const notes: string[] = [];
  const usable = [...readings.entries()].flatMap(([id, r]) => {
    if (r.kind === 'answer') return [[id, r] as const];
    if (r.kind === 'ask') {
      const first = r.options[0] as Option;
      notes.push(`_${r.ask} Taking ${first.label}; ask again naming the other to compare it._`);
      return [[id, { kind: 'answer' as const, answer: first.answer }] as const];
    }
    notes.push(`_Not used: ${r.why}._`);
    return [];
  });
  if (!usable.length)
    return {
      state,
      replies: [
        {
          text: 'What would you change? For example "what if the budget were $20k", "what if we had 10 variants" or "what if it had to be the best possible".',
        },
      ],
      effects: [],
    };
  answers = applyReadings(
    answers,
    usable.map(([id, r]) => [id, r]),
  ).answers;
  const before = { answers: state.answers, verdict: judge.verdict(state.answers) };
  const after = { answers, verdict: judge.verdict(answers) };
  return { state, replies: [whatIfReply(before, after, notes)], effects: [] };
}

export function finishedStep(state: QuestionnaireState, text: string, now: Date): StepOutcome {
  const judge = judgeFor(state);
  const said = cleanAnswer(text);
  if (WHY.test(said))
    return { state, replies: [whyReply(state.answers, judge.verdict(state.answers))], effects: [] };
  const hypothetical = WHAT_IF.exec(cleanMessage(text));
  if (hypothetical) return whatIf(state, cleanMessage(text).slice(hypothetical[0].length), now);
  const { readings } = understand(text, { now, answers: state.answers });
  if (!readings.size) return { state, replies: [{ text: HELP }], effects: [] };
  const before = judge.verdict(state.answers).recommendation;
  const applied = applyReadings(state.answers, [...readings.entries()]);
  const changed = applied.lines.some((l) => l.asking || (l.was !== l.label && !l.failed));
  if (!changed)
    return {
      state,
      replies: [{ ...understoodReply(applied.lines, 'Nothing changed:'), replaceKey: undefined }],
      effects: [],
    };
  const after = judge.verdict(applied.answers).recommendation;
  const flip =
    before === after
      ? `The recommendation stays ${short(after)}.`
      : `The recommendation changes: ${short(before)} -> ${short(after)}.`;
  const summary = understoodReply(applied.lines, 'Changed:');
  delete summary.replaceKey;
  const reopened: QuestionnaireState = { ...state, answers: applied.answers, pending: applied.pending };
  return proceed(reopened, [summary], now, applied.pending.length ? undefined : flip);
}
