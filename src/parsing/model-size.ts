import { normalise } from './numbers';
import { err, ok, type Result } from './result';

/** Reads a parameter count in billions: "7B", "70b", "1.3 billion", "350M", "llama-2-13b-hf". */
export function parseModelSizeB(input: string): Result<number> {
  const text = normalise(input);
  const match = /(\d+(?:\.\d+)?)\s*(b|bn|billion|m|million)\b/.exec(text.replace(/[-_]/g, ' '));
  if (!match) {
    return err(`no parameter count found in "${input.trim()}" (write it like "7B", "70b" or "350M")`);
  }
  const value = Number(match[1]);
  const unit = match[2] ?? 'b';
  const billions = unit.startsWith('m') ? value / 1000 : value;
  if (billions <= 0) return err('a model has more than zero parameters');
  if (billions > 10000) return err(`${billions}B parameters is beyond any model this tool can plan for`);
  return ok(billions);
}
