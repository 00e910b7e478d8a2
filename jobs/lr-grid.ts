import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LearningRatePlanner } from '../src/comparison/plan';
import type { Method } from '../src/comparison/request';
import { parseModelSizeB } from '../src/parsing/model-size';

/** The trainer's learning-rate defaults file, shared with the Python side so both plan the same grid. */
interface LrDefaults {
  grid: { multipliers: number[]; significant_digits: number };
  buckets: { name: string; max_params: number | null; defaults: Record<Method, number> }[];
}

const DEFAULTS_PATH = fileURLToPath(new URL('./trainer/lr-defaults.json', import.meta.url));
/** Parameter count of the tiny CPU model's bucket; other models are sized from their name. */
const TINY_PARAMS = 1e6;
const UNKNOWN_MODEL_PARAMS = 7e9;

export function loadLrDefaults(path = DEFAULTS_PATH): LrDefaults {
  return JSON.parse(readFileSync(path, 'utf8')) as LrDefaults;
}

export function paramsFromModelName(model: string): number {
  if (model === 'tiny') return TINY_PARAMS;
  const size = parseModelSizeB(model.split('/').at(-1) ?? model);
  return size.ok ? size.value * 1e9 : UNKNOWN_MODEL_PARAMS;
}

export function createLearningRatePlanner(defaults: LrDefaults = loadLrDefaults()): LearningRatePlanner {
  return {
    grid(model, method, sweep) {
      const params = paramsFromModelName(model);
      const bucket =
        defaults.buckets.find((b) => b.max_params === null || params <= b.max_params) ??
        defaults.buckets.at(-1);
      const base = bucket?.defaults[method];
      if (base === undefined) throw new Error(`no default learning rate for ${method} in ${DEFAULTS_PATH}`);
      const values = sweep
        ? defaults.grid.multipliers.map((m) =>
            Number((base * m).toPrecision(defaults.grid.significant_digits)),
          )
        : [base];
      return { values, default: base };
    },
  };
}
