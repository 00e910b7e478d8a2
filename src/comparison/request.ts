import { catalogEntry } from '../commands/catalog';
import { readOptions } from '../commands/option-values';
import { err, ok, type Result } from '../parsing/result';
import type { Method } from '../tasks/methods';
import { isTaskId, TASK_IDS, type TaskId } from '../tasks/profiles';

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
}

const COMPARE = catalogEntry('compare');
export const TINY_MODEL = 'tiny';
/** Models Faceoff builds or ships itself, accepted by name everywhere. */
export const BUILTIN_MODELS: readonly string[] = [TINY_MODEL];
/** Default steps: short on the tiny CPU model so a comparison finishes in minutes. */
/** Seeds per method by default: enough for an interval on every paired difference. */
export const DEFAULT_SEEDS = 3;
export const DEFAULT_STEPS = { tiny: 120, other: 1000 } as const;

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
  if (!model) errors.push('model: required (tiny, a Hugging Face id such as org/name, or a local path)');

  const number = (key: string) => values.get(key) as number | undefined;
  const steps = number('max_steps') ?? (model === TINY_MODEL ? DEFAULT_STEPS.tiny : DEFAULT_STEPS.other);
  const batchSize = number('batch_size');
  if (errors.length || !task || !model) return err(errors.join('\n'));
  return ok({
    task,
    model,
    methods: (values.get('methods') as Method[] | undefined) ?? ['lora', 'full'],
    seeds: number('seeds') ?? DEFAULT_SEEDS,
    maxSteps: steps,
    lrSweep: (values.get('lr_sweep') as boolean | undefined) ?? true,
    gpus: number('gpus') ?? 0,
    ...(batchSize ? { batchSize } : {}),
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
