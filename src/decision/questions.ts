import { parseDurationDays } from '../parsing/duration';
import { parseModelSizeB } from '../parsing/model-size';
import { formatUsd, parseMoney } from '../parsing/money';
import { normalise } from '../parsing/numbers';
import { err, ok, type Result } from '../parsing/result';
import { parseTeamSize } from '../parsing/team-size';
import { parseYesNo } from '../parsing/yes-no';
import { matchTask, TASK_IDS, taskProfile } from '../tasks/profiles';
import {
  type Answers,
  budgetBucket,
  modelBucket,
  type QuestionId,
  timelineBucket,
  type UpdateFrequency,
  type YesNoAnswer,
} from './answers';

export interface Choice<A> {
  id: string;
  label: string;
  answer: A;
}

export interface Question<K extends QuestionId> {
  id: K;
  prompt: string;
  /** Shown when a typed answer could not be read. */
  hint: string;
  choices: Choice<NonNullable<Answers[K]>>[];
  /** Reads a typed answer that is not one of the choices. */
  parseText: (text: string) => Result<NonNullable<Answers[K]>>;
}

const UNSURE_LABEL = 'Not sure';

function yesNoQuestion(
  id: 'performance' | 'behaviour' | 'variants',
  prompt: string,
): Question<'performance' | 'behaviour' | 'variants'> {
  const answer = (value: YesNoAnswer) => ({
    value,
    label: value === 'unsure' ? UNSURE_LABEL : value === 'yes' ? 'Yes' : 'No',
  });
  return {
    id,
    prompt,
    hint: 'Answer yes, no or not sure.',
    choices: [
      { id: 'yes', label: 'Yes', answer: answer('yes') },
      { id: 'no', label: 'No', answer: answer('no') },
      { id: 'unsure', label: UNSURE_LABEL, answer: answer('unsure') },
    ],
    parseText: (text) => {
      const parsed = parseYesNo(text);
      return parsed.ok ? ok(answer(parsed.value)) : parsed;
    },
  };
}

const budget: Question<'budget'> = {
  id: 'budget',
  prompt: "What's your training budget for this model (USD)?",
  hint: 'Type an amount like "$5k", "5000 USD", "under 1k" or "over $10,000", or pick a button.',
  choices: [
    { id: 'under_1k', label: 'Under $1k', answer: { bucket: 'under_1k', label: 'Under $1k' } },
    { id: '1k_10k', label: '$1k to $10k', answer: { bucket: '1k_10k', label: '$1k to $10k' } },
    { id: 'over_10k', label: 'Over $10k', answer: { bucket: 'over_10k', label: 'Over $10k' } },
    { id: 'unknown', label: UNSURE_LABEL, answer: { bucket: 'unknown', label: UNSURE_LABEL } },
  ],
  parseText: (text) => {
    const money = parseMoney(text);
    if (!money.ok) return money;
    const prefix = money.value.bound === 'under' ? 'under ' : money.value.bound === 'over' ? 'over ' : '';
    return ok({
      bucket: budgetBucket(money.value.usd, money.value.bound),
      usd: money.value.usd,
      label: `${prefix}${formatUsd(money.value.usd, 0)}`,
    });
  },
};

function formatDays(days: number): string {
  if (days < 1) return `${Math.round(days * 24)} hours`;
  if (days % 7 === 0 && days >= 14) return `${days / 7} weeks`;
  return `${Number(days.toFixed(1))} day${days === 1 ? '' : 's'}`;
}

const timeline: Question<'timeline'> = {
  id: 'timeline',
  prompt: 'How soon do you need results?',
  hint: 'Type a time span like "2 weeks", "10 days", "a month" or "asap", or pick a button.',
  choices: [
    { id: 'under_1w', label: 'Within a week', answer: { bucket: 'under_1w', label: 'Within a week' } },
    { id: '1w_2w', label: '1 to 2 weeks', answer: { bucket: '1w_2w', label: '1 to 2 weeks' } },
    { id: '2w_1m', label: '2 weeks to a month', answer: { bucket: '2w_1m', label: '2 weeks to a month' } },
    { id: 'over_1m', label: 'More than a month', answer: { bucket: 'over_1m', label: 'More than a month' } },
    { id: 'unknown', label: UNSURE_LABEL, answer: { bucket: 'unknown', label: UNSURE_LABEL } },
  ],
  parseText: (text) => {
    const days = parseDurationDays(text);
    if (!days.ok) return days;
    return ok({ bucket: timelineBucket(days.value), days: days.value, label: formatDays(days.value) });
  },
};

const UPDATE_CHOICES: [UpdateFrequency, string, RegExp][] = [
  [
    'weekly',
    'Weekly or more often',
    /\b(daily|every day|weekly|every week|continuous(ly)?|constantly|often|frequently|all the time)\b/,
  ],
  ['monthly', 'About monthly', /\b(monthly|every month|every few weeks|biweekly|fortnightly)\b/],
  [
    'quarterly',
    'A few times a year',
    /\b(quarterly|few times a year|every quarter|twice a year|every few months)\b/,
  ],
  ['rarely', 'Rarely or never', /\b(rarely|never|once|yearly|annually|seldom|hardly ever|one[- ]off)\b/],
  ['unknown', UNSURE_LABEL, /^(not sure|unsure|don'?t know|dunno|idk|skip|\?)$/],
];

const updates: Question<'updates'> = {
  id: 'updates',
  prompt: 'How often will you update (retrain) the model?',
  hint: 'Type e.g. "weekly", "monthly", "a few times a year" or "rarely", or pick a button.',
  choices: UPDATE_CHOICES.map(([value, label]) => ({ id: value, label, answer: { value, label } })),
  parseText: (text) => {
    const normalised = normalise(text);
    const found = UPDATE_CHOICES.find(([, , pattern]) => pattern.test(normalised));
    if (found) return ok({ value: found[0], label: found[1] });
    const days = parseDurationDays(normalised.replace(/^every\s+/, ''));
    if (days.ok) {
      const value: UpdateFrequency =
        days.value <= 7
          ? 'weekly'
          : days.value <= 45
            ? 'monthly'
            : days.value <= 200
              ? 'quarterly'
              : 'rarely';
      return ok({ value, label: UPDATE_CHOICES.find(([v]) => v === value)?.[1] ?? value });
    }
    return err(`"${text.trim()}" is not an update frequency`);
  },
};

const task: Question<'task'> = {
  id: 'task',
  prompt: 'Which task is closest to yours?',
  hint: 'Type a description like "customer support bot", "creative writing" or "code generation", or pick one.',
  choices: [
    ...TASK_IDS.map((id) => ({
      id,
      label: taskProfile(id).label,
      answer: { value: id, label: taskProfile(id).label },
    })),
    { id: 'other', label: 'Something else', answer: { value: 'other' as const, label: 'Something else' } },
  ],
  parseText: (text) => {
    const id = matchTask(text);
    if (id) return ok({ value: id, label: taskProfile(id).label });
    if (/^(other|something else|none of these|none)$/.test(normalise(text))) {
      return ok({ value: 'other', label: 'Something else' });
    }
    return err(`"${text.trim()}" does not match one of the ${TASK_IDS.length} task profiles`);
  },
};

const team: Question<'team'> = {
  id: 'team',
  prompt: 'How many ML engineers will work on it?',
  hint: 'Type a number like "3" or "just me", or pick a button.',
  choices: [
    { id: 'small', label: 'Fewer than 5', answer: { bucket: 'small', label: 'Fewer than 5' } },
    { id: 'large', label: '5 or more', answer: { bucket: 'large', label: '5 or more' } },
    { id: 'unknown', label: UNSURE_LABEL, answer: { bucket: 'unknown', label: UNSURE_LABEL } },
  ],
  parseText: (text) => {
    const size = parseTeamSize(text);
    if (!size.ok) return size;
    return ok({
      bucket: size.value < 5 ? 'small' : 'large',
      size: size.value,
      label: `${size.value} ${size.value === 1 ? 'person' : 'people'}`,
    });
  },
};

const model: Question<'model'> = {
  id: 'model',
  prompt: 'How large is the base model?',
  hint: 'Type a size like "7B", "70b" or "350M", or pick a button.',
  choices: [
    { id: 'under_3b', label: 'Under 3B', answer: { bucket: 'under_3b', label: 'Under 3B' } },
    { id: '3b_20b', label: '3B to 20B (e.g. 7B, 13B)', answer: { bucket: '3b_20b', label: '3B to 20B' } },
    { id: '20b_60b', label: '20B to 60B', answer: { bucket: '20b_60b', label: '20B to 60B' } },
    { id: 'over_60b', label: '60B or more (e.g. 70B)', answer: { bucket: 'over_60b', label: '60B or more' } },
    { id: 'unknown', label: UNSURE_LABEL, answer: { bucket: 'unknown', label: UNSURE_LABEL } },
  ],
  parseText: (text) => {
    const bare = /^\s*(\d+(\.\d+)?)\s*$/.exec(text);
    const size = parseModelSizeB(bare ? `${bare[1]}B` : text);
    if (!size.ok) return size;
    const label = size.value < 1 ? `${Math.round(size.value * 1000)}M` : `${Number(size.value.toFixed(2))}B`;
    return ok({ bucket: modelBucket(size.value), paramsB: size.value, label });
  },
};

/** "97%", "0.9", "90 percent": a share of full fine-tuning's quality, 0.5-1. */
export function parseShare(text: string): number | undefined {
  const cleaned = normalise(text);
  const percentMatch = /^(?:about |at least |around )?(\d{1,3}(?:\.\d+)?)\s*(?:%|percent|pct)(?: .*)?$/.exec(
    cleaned,
  );
  const decimal = /^(0?\.\d+|1(?:\.0+)?)$/.exec(cleaned);
  const share = percentMatch ? Number(percentMatch[1]) / 100 : decimal ? Number(decimal[1]) : undefined;
  return share !== undefined && share >= 0.5 && share <= 1 ? share : undefined;
}

/**
 * How much of full fine-tuning's quality is enough: yes (95% is), no (more is needed), not sure,
 * or a share ("97%"), which measured comparisons are checked against.
 */
const performance: Question<'performance'> = (() => {
  const base = yesNoQuestion(
    'performance',
    "Is about 95% of full fine-tuning's quality acceptable for this task? (Or type the share you need, e.g. 97%.)",
  );
  return {
    ...base,
    id: 'performance',
    hint: 'Answer yes, no or not sure, or type the share of full fine-tuning\'s quality you need, like "97%".',
    parseText: (text: string) => {
      const share = parseShare(text);
      if (share !== undefined) {
        return ok({
          value: share <= 0.95 ? ('yes' as const) : ('no' as const),
          threshold: share,
          label: `${Number((share * 100).toFixed(1))}% of full fine-tuning's quality is enough`,
        });
      }
      return base.parseText(text);
    },
  } as Question<'performance'>;
})();

/** The questionnaire, in order: budget and time, performance needs, operations, task and team. */
export const QUESTIONS = [
  budget,
  timeline,
  performance,
  yesNoQuestion(
    'behaviour',
    'Does the model need a fundamental change of behaviour (not just new skills or knowledge)?',
  ),
  yesNoQuestion(
    'variants',
    'Will you need several variants of the task (per customer, department or language)?',
  ),
  updates,
  task,
  team,
  model,
] as const satisfies readonly Question<QuestionId>[];

export type AnyQuestion = (typeof QUESTIONS)[number];

/** Reads an answer: a choice id, its label or number ("2"), or free text the question understands. */
export function readAnswer(question: AnyQuestion, input: string): Result<unknown> {
  const text = normalise(input);
  const choices = question.choices as readonly Choice<unknown>[];
  const byId = choices.find((c) => c.id === text || normalise(c.label) === text);
  if (byId) return ok(byId.answer);
  if (/^\d+$/.test(text) && question.id !== 'team' && question.id !== 'model') {
    const index = Number(text) - 1;
    const byNumber = choices[index];
    if (byNumber) return ok(byNumber.answer);
  }
  const parsed = (question.parseText as (t: string) => Result<unknown>)(input);
  if (parsed.ok) return parsed;
  if (/^(not sure|unsure|don'?t know|dunno|idk|skip|\?)$/.test(text)) {
    const unsure = choices.find((c) => c.id === 'unknown' || c.id === 'unsure');
    if (unsure) return ok(unsure.answer);
  }
  return err(`${parsed.error}. ${question.hint}`);
}
