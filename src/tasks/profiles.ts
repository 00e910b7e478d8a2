/**
 * The task profiles of the decision framework, with the LoRA preset each one starts from, from the
 * shared data file framework.json (see ./framework.ts).
 * `expectedWinner` is the framework's prior hypothesis, not a measured result.
 */
import { FRAMEWORK, type TaskEntry } from './framework';

declare const taskIdBrand: unique symbol;
/** A task id from framework.json: take one from TASK_IDS, or check a string with isTaskId or matchTask. */
export type TaskId = string & { readonly [taskIdBrand]: true };

export type Level = TaskEntry['complexity'];
export type ExpectedWinner = TaskEntry['expected_winner'];

export interface LoraPreset {
  r: number;
  alpha: number;
  dropout: number;
}

export interface TaskProfile {
  id: TaskId;
  label: string;
  complexity: Level;
  domainSpecificity: Level;
  creativityRequired: Level;
  expectedWinner: ExpectedWinner;
  reasoning: string;
  lora: LoraPreset;
  /** Words that identify the task in a typed answer. */
  keywords: RegExp;
}

/** Modules LoRA adapts when the attention-only option is chosen (Llama naming). */
export const ATTENTION_TARGET_MODULES: readonly string[] = Object.freeze([
  ...FRAMEWORK.attention_target_modules,
]);

/** The preset for a user's dataset or a task outside the list. */
export const DEFAULT_LORA_PRESET: Readonly<LoraPreset> = Object.freeze({ ...FRAMEWORK.default_lora });

function toProfile(entry: TaskEntry): TaskProfile {
  return {
    id: entry.id as TaskId,
    label: entry.label,
    complexity: entry.complexity,
    domainSpecificity: entry.domain_specificity,
    creativityRequired: entry.creativity_required,
    expectedWinner: entry.expected_winner,
    reasoning: entry.reasoning,
    lora: { ...entry.lora },
    keywords: new RegExp(`\\b(${entry.keywords.join('|')})\\b`),
  };
}

const profiles = FRAMEWORK.tasks.map(toProfile);

export const TASK_IDS: readonly TaskId[] = Object.freeze(profiles.map((p) => p.id));

export const TASK_PROFILES: Readonly<Record<TaskId, TaskProfile>> = Object.freeze(
  Object.fromEntries(profiles.map((p) => [p.id, p])),
);

export function isTaskId(value: string): value is TaskId {
  return (TASK_IDS as readonly string[]).includes(value);
}

/** A known task id from a literal, or an error naming the accepted ones. */
export function taskId(value: string): TaskId {
  if (!isTaskId(value))
    throw new Error(`"${value}" is not a task in framework.json (${TASK_IDS.join(', ')})`);
  return value;
}

export function taskProfile(id: TaskId): TaskProfile {
  const profile = TASK_PROFILES[id];
  if (!profile) throw new Error(`no task profile "${id}" in framework.json`);
  return profile;
}

/** Finds the profile a typed description names: "creative writing", "support bot", "code_generation". */
export function matchTask(text: string): TaskId | undefined {
  const cleaned = text
    .toLowerCase()
    .trim()
    .replace(/[\s-]+/g, '_');
  if (isTaskId(cleaned)) return cleaned;
  const spaced = text.toLowerCase().replace(/[_-]+/g, ' ');
  return TASK_IDS.find((id) => taskProfile(id).keywords.test(spaced));
}
