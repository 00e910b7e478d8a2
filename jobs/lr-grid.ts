import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LearningRatePlanner, LearningRateSource } from '../src/comparison/plan';
import { type Method, TINY_FAMILY } from '../src/comparison/request';
import { parseModelSizeB } from '../src/parsing/model-size';

/** The trainer's learning-rate defaults file, shared with the Python side so both plan the same grid. */
interface LrDefaults {
  grid: { multipliers: number[]; significant_digits: number };
  rule_of_thumb_note: string;
  buckets: {
    name: string;
    max_params: number | null;
    defaults: Record<Method, number>;
    source: 'measured' | 'rule_of_thumb';
  }[];
}

const DEFAULTS_PATH = fileURLToPath(new URL('./trainer/lr-defaults.json', import.meta.url));
/** Parameter count of the tiny CPU models' bucket; other models are sized from their name. */
const TINY_PARAMS = 1e6;
const UNKNOWN_MODEL_PARAMS = 7e9;

export function loadLrDefaults(path = DEFAULTS_PATH): LrDefaults {
  return JSON.parse(readFileSync(path, 'utf8')) as LrDefaults;
}

export function paramsFromModelName(model: string): number {
  if (TINY_FAMILY.includes(model)) return TINY_PARAMS;
  const size = parseModelSizeB(model.split('/').at(-1) ?? model);
  return size.ok ? size.value * 1e9 : UNKNOWN_MODEL_PARAMS;
}

export function createLearningRatePlanner(defaults: LrDefaults = loadLrDefaults()): LearningRatePlanner {
  const bucketOf = (model: string) => {
    const params = paramsFromModelName(model);
    const bucket =
      defaults.buckets.find((b) => b.max_params === null || params <= b.max_params) ??
      defaults.buckets.at(-1);
    if (!bucket) throw new Error(`no buckets in ${DEFAULTS_PATH}`);
    return bucket;
  };
  return {
    bucket: (model) => bucketOf(model).name,
    grid(model, method, sweep, measured) {
      const bucket = bucketOf(model);
      const base = measured ?? bucket.defaults[method];
      if (base === undefined) throw new Error(`no default learning rate for ${method} in ${DEFAULTS_PATH}`);
      const values = sweep
        ? defaults.grid.multipliers.map((m) =>
            Number((base * m).toPrecision(defaults.grid.significant_digits)),
          )
        : [base];
      const source: LearningRateSource =
        measured !== undefined
          ? 'workspace'
          : bucket.source === 'rule_of_thumb'
            ? 'rule_of_thumb'
            : 'measured';
      return {
        values,
        default: base,
        source,
        ...(source === 'rule_of_thumb' && method !== 'full' ? { note: defaults.rule_of_thumb_note } : {}),
      };
    },
  };
}
