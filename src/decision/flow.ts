/**
 * Which questions a questionnaire asks and in what order: the main ones always; how many variants
 * after a yes to variants that gave no number; domain shift and prototyping-or-production once
 * the rest is answered, each only when one of its answers would change the recommendation.
 */
import type { Answers, QuestionId } from './answers';
import { MAIN_QUESTIONS } from './questions';
import { stageAnswer, yesNoAnswer } from './read/yes-no-topics';
import type { Recommendation } from './recommendation';

export type Decider = (answers: Answers) => Recommendation;

/** The answers each follow-up is tried with to see whether it matters. */
const TRIALS: Partial<Record<QuestionId, Answers[keyof Answers][]>> = {
  domain: [yesNoAnswer('yes'), yesNoAnswer('no')],
  stage: [stageAnswer('prototype'), stageAnswer('production')],
};

/** True when some answer to `id` gives another recommendation than leaving it open. */
export function matters(id: QuestionId, answers: Answers, decideFor: Decider): boolean {
  const open = decideFor({ ...answers, [id]: undefined });
  return (TRIALS[id] ?? []).some((trial) => decideFor({ ...answers, [id]: trial }) !== open);
}

/** The questions this questionnaire asks, given what is answered so far. */
export function plannedQuestions(answers: Answers, decideFor: Decider): QuestionId[] {
  const planned: QuestionId[] = [];
  for (const id of MAIN_QUESTIONS) {
    planned.push(id);
    if (id === 'variants' && (answers.variants?.value === 'yes' || answers.variantCount))
      planned.push('variantCount');
  }
  const mainDone = planned.every((id) => answers[id] !== undefined);
  for (const id of ['domain', 'stage'] as const) {
    if (answers[id] !== undefined) planned.push(id);
    else if (mainDone && matters(id, answers, decideFor)) {
      planned.push(id);
      break;
    }
  }
  return planned;
}

export interface Position {
  /** The question to ask next; undefined when everything planned is answered. */
  current?: QuestionId;
  /** 1-based place of the current question among the planned ones. */
  number: number;
  total: number;
  planned: QuestionId[];
}

export function position(answers: Answers, decideFor: Decider): Position {
  const planned = plannedQuestions(answers, decideFor);
  const index = planned.findIndex((id) => answers[id] === undefined);
  return {
    ...(index >= 0 ? { current: planned[index] } : {}),
    number: index >= 0 ? index + 1 : planned.length,
    total: planned.length,
    planned,
  };
}
