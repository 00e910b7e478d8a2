import { parseDecimal } from '../parsing/numbers';
import { err, ok, type Result } from '../parsing/result';
import { isTaskId, TASK_IDS, type TaskId } from '../tasks/profiles';

export const METHODS = ['lora', 'full', 'qlora'] as const;
export type Method = (typeof METHODS)[number];

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

const KEYS = ['task', 'model', 'methods', 'seeds', 'max_steps', 'lr_sweep', 'gpus', 'batch_size'] as const;
export const TINY_MODEL = 'tiny';
/** Models Faceoff builds or ships itself, accepted by name everywhere. */
export const BUILTIN_MODELS: readonly string[] = [TINY_MODEL];
/** Default steps: short on the tiny CPU model so a comparison finishes in minutes. */
export const DEFAULT_STEPS = { tiny: 120, other: 1000 } as const;

function intIn(key: string, raw: string, min: number, max: number): Result<number> {
  const n = parseDecimal(raw);
  if (!n.ok || !Number.isInteger(n.value) || n.value < min || n.value > max) {
    return err(`${key}: "${raw}" is not accepted; expected a whole number from ${min} to ${max}`);
  }
  return ok(n.value);
}

/** `/faceoff compare task=... model=... [...]`: validated completely before anything is queued. */
export function parseComparisonRequest(
  positional: string[],
  pairs: Map<string, string>,
): Result<ComparisonRequest> {
  const errors: string[] = [];
  if (positional.length) errors.push(`"${positional.join(' ')}": compare takes key=value pairs only`);
  for (const key of pairs.keys()) {
    if (!(KEYS as readonly string[]).includes(key))
      errors.push(`${key}: unknown key (accepted: ${KEYS.join(', ')})`);
  }
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

  const model = pairs.get('model');
  // Which models may be used is the model policy's to decide (a name, an allowed id, a path under a root).
  if (!model) errors.push('model: required (tiny, a Hugging Face id such as org/name, or a local path)');

  let methods: Method[] = ['lora', 'full'];
  const methodsRaw = pairs.get('methods');
  if (methodsRaw) {
    const list = methodsRaw
      .split(',')
      .map((m) => m.trim().toLowerCase())
      .filter(Boolean);
    const unknown = list.filter((m) => !(METHODS as readonly string[]).includes(m));
    if (unknown.length)
      errors.push(
        `methods: unknown ${unknown.map((u) => `"${u}"`).join(', ')} (accepted: ${METHODS.join(', ')})`,
      );
    else if (new Set(list).size !== list.length) errors.push('methods: a method is listed twice');
    else methods = list as Method[];
  }

  const number = (key: string, min: number, max: number, fallback: number | undefined) => {
    const raw = pairs.get(key);
    if (raw === undefined) return fallback;
    const r = intIn(key, raw, min, max);
    if (!r.ok) errors.push(r.error);
    return r.ok ? r.value : fallback;
  };
  const seeds = number('seeds', 1, 5, 1) ?? 1;
  const maxSteps =
    number('max_steps', 1, 100_000, model === TINY_MODEL ? DEFAULT_STEPS.tiny : DEFAULT_STEPS.other) ?? 1;
  const gpus = number('gpus', 0, 64, 0) ?? 0;
  const batchSize = number('batch_size', 1, 4096, undefined);

  let lrSweep = true;
  const sweepRaw = pairs.get('lr_sweep')?.toLowerCase();
  if (sweepRaw !== undefined) {
    if (['on', 'true', 'yes', '1'].includes(sweepRaw)) lrSweep = true;
    else if (['off', 'false', 'no', '0'].includes(sweepRaw)) lrSweep = false;
    else errors.push(`lr_sweep: "${pairs.get('lr_sweep')}" is not on or off`);
  }
  if (errors.length || !task || !model) return err(errors.join('\n'));
  return ok({ task, model, methods, seeds, maxSteps, lrSweep, gpus, ...(batchSize ? { batchSize } : {}) });
}
