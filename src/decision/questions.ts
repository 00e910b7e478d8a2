/**
 * The questionnaire's questions, in order: the framework's Step 1 (budget, time, performance,
 * behaviour, variants, updates), the task and team, the model size, and the follow-ups the
 * decision matrix implies (how many variants, domain shift, prototyping or production), which are
 * asked only when they matter (see ./flow.ts).
 */

import { TASK_IDS, taskProfile } from '../tasks/profiles';
import type { Answers, QuestionId } from './answers';
import { budgetFromNumber, budgetReader } from './read/budget';
import { modelFromNumber, modelReader } from './read/model';
import type { AnswerOf, Reading, TopicReader } from './read/reading';
import { answer } from './read/reading';
import { OTHER_LABEL, taskAnswer, taskReader } from './read/task';
import { teamFromNumber, teamReader } from './read/team';
import { timelineFromNumber, timelineReader } from './read/timeline';
import { UPDATE_LABELS, updatesReader } from './read/updates';
import {
  behaviourReader,
  domainReader,
  parseShare,
  performanceFromShare,
  performanceReader,
  STAGE_LABELS,
  stageAnswer,
  stageReader,
  variantCountAnswer,
  variantCountReader,
  variantsReader,
  YES_NO_LABELS,
  yesNoAnswer,
} from './read/yes-no-topics';

export { parseShare };

export interface Choice<A> {
  id: string;
  label: string;
  answer: A;
}

export interface Question<K extends QuestionId> {
  id: K;
  /** A word or two for summaries ("Budget"). */
  topic: string;
  prompt: string;
  /** Examples of typed answers, shown when an answer could not be read. */
  hint: string;
  /** What the framework does with the answer, for "why do you ask?". */
  why: string;
  choices: Choice<AnswerOf<K>>[];
  /**
   * How a bare number is read, the same rule on every question: `choice` picks the numbered
   * choice; `value` is the quantity the question asks for (dollars, people, billions, variants).
   */
  numbers: 'choice' | 'value';
  /** A bare number as the quantity, or (for `choice` questions) one past the last choice. */
  fromNumber?: (n: number) => Reading<K>;
  reader: TopicReader<K>;
}

const UNSURE = 'Not sure';
const choice = <A>(id: string, label: string, value: A): Choice<A> => ({ id, label, answer: value });

function yesNoChoices<K extends 'performance' | 'behaviour' | 'variants' | 'domain'>(): Choice<
  AnswerOf<K>
>[] {
  return (['yes', 'no', 'unsure'] as const).map((v) =>
    choice(v, YES_NO_LABELS[v], yesNoAnswer(v) as AnswerOf<K>),
  );
}

const budget: Question<'budget'> = {
  id: 'budget',
  topic: 'Budget',
  prompt: "What's your training budget for this model (USD)?",
  hint: 'e.g. "$5k", "around 2 grand", "$5-10k", "under 1k" or "no fixed limit"',
  why: 'The framework: a training budget under $1,000 points to LoRA; over $10,000, consider both.',
  choices: [
    choice('under_1k', 'Under $1k', { bucket: 'under_1k', label: 'Under $1k' }),
    choice('1k_10k', '$1k to $10k', { bucket: '1k_10k', label: '$1k to $10k' }),
    choice('over_10k', 'Over $10k', { bucket: 'over_10k', label: 'Over $10k' }),
    choice('unknown', UNSURE, { bucket: 'unknown', label: UNSURE }),
  ],
  numbers: 'value',
  fromNumber: budgetFromNumber,
  reader: budgetReader,
};

const timeline: Question<'timeline'> = {
  id: 'timeline',
  topic: 'Timeline',
  prompt: 'How soon do you need results?',
  hint: 'e.g. "2 weeks", "a couple of weeks", "2-3 weeks", "by Friday", "end of the quarter" or "no rush"',
  why: 'The framework: results needed in under 2 weeks point to LoRA; with more than a month, both are viable.',
  choices: [
    choice('under_1w', 'Within a week', { bucket: 'under_1w', label: 'Within a week' }),
    choice('1w_2w', '1 to 2 weeks', { bucket: '1w_2w', label: '1 to 2 weeks' }),
    choice('2w_1m', '2 weeks to a month', { bucket: '2w_1m', label: '2 weeks to a month' }),
    choice('over_1m', 'More than a month', { bucket: 'over_1m', label: 'More than a month' }),
    choice('unknown', UNSURE, { bucket: 'unknown', label: UNSURE }),
  ],
  numbers: 'choice',
  fromNumber: timelineFromNumber,
  reader: timelineReader,
};

const performance: Question<'performance'> = {
  id: 'performance',
  topic: 'Performance',
  prompt:
    "Is about 95% of full fine-tuning's quality acceptable for this task? (Or type the share you need, e.g. 97%.)",
  hint: 'e.g. "yes, that is fine", "no, we need the best possible", "97%" or "not sure"',
  why: "The framework: if 95% of full fine-tuning's performance is acceptable, LoRA; if not, full fine-tuning.",
  choices: yesNoChoices<'performance'>(),
  numbers: 'value',
  fromNumber: (n) =>
    n >= 50 && n <= 100
      ? answer<'performance'>(performanceFromShare(n / 100), `read "${n}" as ${n}%`)
      : n > 0 && n <= 1 && parseShare(String(n)) !== undefined
        ? answer<'performance'>(performanceFromShare(n))
        : { kind: 'none', why: `${n} is not a share of full fine-tuning's quality between 50% and 100%` },
  reader: performanceReader,
};

const behaviour: Question<'behaviour'> = {
  id: 'behaviour',
  topic: 'Behaviour change',
  prompt: 'Does the model need a fundamental change of behaviour (not just new skills or knowledge)?',
  hint: 'e.g. "no, just new knowledge", "yes, a completely different style" or "not sure"',
  why: 'The framework: a fundamental behaviour change points to full fine-tuning; adding skills or knowledge, to LoRA.',
  choices: yesNoChoices<'behaviour'>(),
  numbers: 'choice',
  reader: behaviourReader,
};

const variants: Question<'variants'> = {
  id: 'variants',
  topic: 'Variants',
  prompt: 'Will you need several variants of the task (per customer, department or language)?',
  hint: 'e.g. "yes, one per customer", "yes, about 20", "no, just one task" or "not sure"',
  why: 'The framework: several task variants point to LoRA (one base model, one small adapter each); one task leaves either open. The number of variants feeds the cost estimate.',
  choices: yesNoChoices<'variants'>(),
  numbers: 'value',
  fromNumber: (n) =>
    Number.isInteger(n) && n >= 1 && n <= 100000
      ? n === 1
        ? answer<'variants'>(yesNoAnswer('no'), 'read "1" as one variant: no variants')
        : answer<'variants'>(yesNoAnswer('yes'), `read "${n}" as ${n} variants`, {
            variantCount: variantCountAnswer(n),
          })
      : { kind: 'none', why: `${n} is not a number of variants` },
  reader: variantsReader,
};

const variantCount: Question<'variantCount'> = {
  id: 'variantCount',
  topic: 'Number of variants',
  prompt: 'Roughly how many variants?',
  hint: 'e.g. "3", "about 20" or "one per customer, 12 customers"',
  why: 'Each variant is one more fine-tune to train, store and serve: the cost estimate multiplies by it.',
  choices: [
    choice('2_5', '2 to 5', variantCountAnswer(3)),
    choice('6_20', '6 to 20', variantCountAnswer(10)),
    choice('over_20', 'More than 20', variantCountAnswer(30)),
  ],
  numbers: 'value',
  fromNumber: (n) => variantCountReader.read(String(n), { now: new Date(0) }),
  reader: variantCountReader,
};

const updates: Question<'updates'> = {
  id: 'updates',
  topic: 'Updates',
  prompt: 'How often will you update (retrain) the model?',
  hint: 'e.g. "weekly", "once a month", "every sprint", "quarterly", "not often" or "hardly ever"',
  why: 'The framework: frequent updates point to LoRA; rare updates leave either open.',
  choices: (['weekly', 'monthly', 'quarterly', 'rarely', 'unknown'] as const).map((v) =>
    choice(v, UPDATE_LABELS[v], { value: v, label: UPDATE_LABELS[v] }),
  ),
  numbers: 'choice',
  reader: updatesReader,
};

const task: Question<'task'> = {
  id: 'task',
  topic: 'Task',
  prompt: 'Which task is closest to yours?',
  hint: 'e.g. "customer support bot", "summarization", "code generation", or "something else"',
  why: "The framework's task profiles: creative writing expects full fine-tuning to win, code generation is uncertain, the rest expect LoRA.",
  choices: [
    ...TASK_IDS.map((id) => choice(id, taskProfile(id).label, taskAnswer(id))),
    choice('other', OTHER_LABEL, taskAnswer('other')),
  ],
  numbers: 'choice',
  reader: taskReader,
};

const team: Question<'team'> = {
  id: 'team',
  topic: 'Team',
  prompt: 'How many ML engineers will work on it?',
  hint: 'e.g. "3", "just me", "me and a colleague" or "a team of 8"',
  why: 'The framework: a small team (fewer than 5 ML engineers) points to LoRA.',
  choices: [
    choice('small', 'Fewer than 5', { bucket: 'small', label: 'Fewer than 5' }),
    choice('large', '5 or more', { bucket: 'large', label: '5 or more' }),
    choice('unknown', UNSURE, { bucket: 'unknown', label: UNSURE }),
  ],
  numbers: 'value',
  fromNumber: teamFromNumber,
  reader: teamReader,
};

const model: Question<'model'> = {
  id: 'model',
  topic: 'Model',
  prompt: 'How large is the base model?',
  hint: 'e.g. "7B", "llama 3 70b", "mixtral 8x7b" or "gpt-2 small"',
  why: "The framework: LoRA's advantages grow with model size; for 70B+ models it is almost mandatory. Size also scales the cost estimate.",
  choices: [
    choice('under_3b', 'Under 3B', { bucket: 'under_3b', label: 'Under 3B' }),
    choice('3b_20b', '3B to 20B (e.g. 7B, 13B)', { bucket: '3b_20b', label: '3B to 20B' }),
    choice('20b_60b', '20B to 60B', { bucket: '20b_60b', label: '20B to 60B' }),
    choice('over_60b', '60B or more (e.g. 70B)', { bucket: 'over_60b', label: '60B or more' }),
    choice('unknown', UNSURE, { bucket: 'unknown', label: UNSURE }),
  ],
  numbers: 'value',
  fromNumber: modelFromNumber,
  reader: modelReader,
};

const domain: Question<'domain'> = {
  id: 'domain',
  topic: 'Domain shift',
  prompt:
    "Is your data far from the base model's usual text (a specialised domain, jargon or a rare language)?",
  hint: 'e.g. "yes, very specialised jargon", "no, everyday English" or "not sure"',
  why: 'The framework lists a major shift from the pre-training domain among the cases where full fine-tuning wins.',
  choices: yesNoChoices<'domain'>(),
  numbers: 'choice',
  reader: domainReader,
};

const stage: Question<'stage'> = {
  id: 'stage',
  topic: 'Stage',
  prompt: 'Are you prototyping, or building for production?',
  hint: 'e.g. "a proof of concept", "an MVP", "production" or "not sure"',
  why: 'The framework: the experimental or prototyping phase points to LoRA.',
  choices: (['prototype', 'production', 'unsure'] as const).map((v) =>
    choice(v, STAGE_LABELS[v], stageAnswer(v)),
  ),
  numbers: 'choice',
  reader: stageReader,
};

/** Every question, in the order they are asked. */
export const QUESTIONS = [
  budget,
  timeline,
  performance,
  behaviour,
  variants,
  variantCount,
  updates,
  task,
  team,
  model,
  domain,
  stage,
] as const satisfies readonly Question<QuestionId>[];

export type AnyQuestion = (typeof QUESTIONS)[number];

/** The questions every questionnaire asks; the others follow up when they matter. */
export const MAIN_QUESTIONS: readonly QuestionId[] = [
  'budget',
  'timeline',
  'performance',
  'behaviour',
  'variants',
  'updates',
  'task',
  'team',
  'model',
];

export function questionById(id: QuestionId): AnyQuestion {
  const q = QUESTIONS.find((x) => x.id === id);
  if (!q) throw new Error(`no question "${id}"`);
  return q;
}

export type { Answers };
