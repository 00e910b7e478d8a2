/**
 * Combining skill adapters: the combination types the trainer's `combine` command knows, the
 * skills of the tasks that have them, and how a combine job's run names its variant in its `task`
 * string (`customer_service/skill:tone`, `customer_service/skill:all`, `customer_service/combine:linear`),
 * so that analysis and the dispatcher read it back without another column.
 */

/** PEFT's combination types (add_weighted_adapter), as the trainer's `combination` field takes them. */
export const COMBINATIONS = ['linear', 'ties', 'dare_linear', 'dare_ties', 'cat'] as const;
export type Combination = (typeof COMBINATIONS)[number];
export const DEFAULT_COMBINATIONS: readonly Combination[] = ['linear', 'ties', 'cat'];

/** The skill training sets of the suites that have them (the trainer's PROTOCOL.md, "Skills"). */
export const TASK_SKILLS: Readonly<Record<string, readonly string[]>> = {
  customer_service: ['tone', 'knowledge', 'troubleshooting'],
};

/** The trainer's name for training on every skill at once. */
export const ALL_SKILLS = 'all';
/** The trainer's primary metric of the held-out combined set. */
export const COMBINED_METRIC = 'all_skills_ok';
/** Skills (datasets) one combine job takes at least and at most. */
export const MIN_SKILLS = 2;
export const MAX_SKILLS = 6;

export interface CombineRequest {
  /** The skills, in order: the suite's skill sets, or one dataset id per skill. */
  skills: string[];
  combinations: Combination[];
}

/** What one run of a combine job is: one skill's adapter, a multi-task run, or a combination. */
export type Variant =
  | { kind: 'skill'; base: string; skill: string }
  | { kind: 'multi'; base: string }
  | { kind: 'combination'; base: string; combination: Combination };

export const skillTask = (base: string, skill: string) => `${base}/skill:${skill}`;
export const multiTask = (base: string) => `${base}/skill:${ALL_SKILLS}`;
export const combinationTask = (base: string, combination: Combination) => `${base}/combine:${combination}`;

const isCombination = (value: string): value is Combination =>
  (COMBINATIONS as readonly string[]).includes(value);

/** The variant a run's `task` string encodes; undefined for an ordinary comparison's task. */
export function variantOf(task: string): Variant | undefined {
  const match = /^(.+)\/(skill|combine):([^/]+)$/.exec(task);
  if (!match) return undefined;
  const [, base, kind, name] = match as unknown as [string, string, string, string];
  if (kind === 'combine')
    return isCombination(name) ? { kind: 'combination', base, combination: name } : undefined;
  return name === ALL_SKILLS ? { kind: 'multi', base } : { kind: 'skill', base, skill: name };
}

/** The base task the trainer is given: the suite, or `dataset` for skill datasets. */
export const baseTaskOf = (task: string): string => variantOf(task)?.base ?? task;
