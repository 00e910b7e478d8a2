import { unknownKey } from '../commands/option-values';
import { didYouMean } from '../commands/suggest';
import { parseDecimal } from '../parsing/numbers';
import { err, ok, type Result } from '../parsing/result';
import { quoted } from '../render/shorten';
import { COST_INPUT_SPECS, COST_PRESETS, type CostInputs, type CostPreset, costInputSpec } from './inputs';

export interface CostRequest {
  preset: CostPreset;
  inputs: CostInputs;
  /** Keys the user set, to mark them in the output. */
  overridden: string[];
}

const KEYS = ['preset', ...COST_INPUT_SPECS.map((spec) => spec.key)];
const PRESETS = Object.keys(COST_PRESETS) as CostPreset[];

/** Applies `preset=NAME` and `key=value` overrides; any bad pair fails the whole request. */
export function parseCostArguments(pairs: Map<string, string>): Result<CostRequest> {
  let preset: CostPreset = 'article';
  const presetValue = pairs.get('preset');
  if (presetValue !== undefined) {
    const named = PRESETS.find((p) => p === presetValue.trim().toLowerCase());
    if (!named)
      return err(
        `preset: unknown preset ${quoted(presetValue)}${didYouMean(presetValue, PRESETS)} (accepted: ${PRESETS.join(', ')})`,
      );
    preset = named;
  }
  const inputs: CostInputs = { ...COST_PRESETS[preset] };
  const overridden: string[] = [];
  const errors: string[] = [];
  for (const [key, raw] of pairs) {
    if (key === 'preset') continue;
    const spec = costInputSpec(key);
    if (!spec) {
      errors.push(unknownKey(key, KEYS));
      continue;
    }
    const parsed = parseDecimal(raw.replace(/^\$/, ''));
    const range = `a number from ${spec.min} to ${spec.max} (${spec.unit})`;
    if (!parsed.ok) {
      errors.push(`${key}: ${quoted(raw)} is not a number; expected ${range}`);
    } else if (parsed.value < spec.min || parsed.value > spec.max) {
      errors.push(`${key}: ${parsed.value} is out of range; expected ${range}`);
    } else if (spec.integer && !Number.isInteger(parsed.value)) {
      errors.push(`${key}: ${parsed.value} must be a whole number; expected ${range}`);
    } else {
      inputs[spec.key as keyof CostInputs] = parsed.value;
      overridden.push(key);
    }
  }
  if (errors.length > 0) return err(errors.join('\n'));
  return ok({ preset, inputs, overridden });
}
