/**
 * Reads `key=value` arguments against a catalog entry's options: unknown keys, whole numbers and
 * their bounds, on/off switches and comma-separated choice lists, each refused with the key named
 * and what is accepted; a string option with choices takes one of them (any case) unless its
 * choices are open. Keys whose values need more than the catalog knows (a task that may also be a
 * dataset id) are left to the command's own parser.
 */
import { parseDecimal } from '../parsing/numbers';
import { echoed, QUOTED_MAX, quoted } from '../render/shorten';
import type { ParsedArguments } from './arguments';
import { type CommandEntry, numberRange, type OptionSpec } from './command-entry';
import { didYouMean } from './suggest';

export type OptionValue = string | number | boolean | string[];

export interface ReadOptions {
  values: Map<string, OptionValue>;
  errors: string[];
  /** Keys that bare words were suggested for (`did you mean task=...`): not to be reported missing too. */
  meant: string[];
}

const ON = ['on', 'true', 'yes', '1'];
const OFF = ['off', 'false', 'no', '0'];

function readValue(option: OptionSpec, raw: string): { value?: OptionValue; error?: string } {
  const key = option.name;
  switch (option.type) {
    case 'integer':
    case 'number': {
      const n = parseDecimal(raw);
      const whole = option.type === 'integer';
      const min = option.min ?? Number.NEGATIVE_INFINITY;
      const max = option.max ?? Number.POSITIVE_INFINITY;
      if (!n.ok || (whole && !Number.isInteger(n.value)) || n.value < min || n.value > max)
        return { error: `${key}: ${quoted(raw)} is not accepted; expected ${numberRange(option)}` };
      return { value: n.value };
    }
    case 'boolean': {
      const lower = raw.toLowerCase();
      if (ON.includes(lower)) return { value: true };
      if (OFF.includes(lower)) return { value: false };
      return { error: `${key}: ${quoted(raw)} is not on or off` };
    }
    case 'list': {
      const list = raw
        .split(',')
        .map((m) => m.trim().toLowerCase())
        .filter(Boolean);
      const known = (option.choices ?? []).map((c) => c.value);
      const unknown = list.filter((m) => !known.includes(m));
      if (!list.length) return { error: `${key}: name at least one of ${known.join(', ')}` };
      if (unknown.length)
        return {
          error: `${key}: unknown ${unknown.map((m) => `${quoted(m)}${didYouMean(m, known)}`).join(', ')} (accepted: ${known.join(', ')})`,
        };
      if (new Set(list).size !== list.length) return { error: `${key}: a value is listed twice` };
      return { value: list };
    }
    case 'string': {
      if (!option.choices?.length || option.openChoices) return { value: raw };
      const match = option.choices.find((c) => c.value.toLowerCase() === raw.trim().toLowerCase());
      if (match) return { value: match.value };
      const values = option.choices.map((c) => c.value);
      return {
        error: `${key}: ${quoted(raw)} is not accepted; expected one of ${values.join(', ')}${didYouMean(raw, values)}`,
      };
    }
  }
}

/** `steps: unknown key; did you mean max_steps? (accepted: ...)`, the typed key as a short excerpt. */
export function unknownKey(key: string, accepted: readonly string[]): string {
  return `${echoed(key, QUOTED_MAX)}: unknown key${didYouMean(key, accepted)} (accepted: ${accepted.join(', ')})`;
}

/**
 * `; did you mean task=customer_service model=tiny?` for bare words typed where key=value pairs
 * belong, when the command knows which key each word is a value of (and none is given already).
 */
function asPairs(
  entry: CommandEntry,
  args: ParsedArguments,
  keyOf?: (word: string) => string | undefined,
): Map<string, string[]> | undefined {
  if (!keyOf) return undefined;
  const grouped = new Map<string, string[]>();
  for (const word of args.positional) {
    const key = keyOf(word);
    if (!key || args.pairs.has(key) || !entry.options.some((o) => o.name === key && !o.positional))
      return undefined;
    grouped.set(key, [...(grouped.get(key) ?? []), word.toLowerCase()]);
  }
  return grouped;
}

/**
 * The typed keys of `args`, read by their options' types; `own` keys are passed through as text.
 * `keyOf` names the key a bare word would be the value of, to suggest the pairs meant.
 */
export function readOptions(
  entry: CommandEntry,
  args: ParsedArguments,
  keyOf?: (word: string) => string | undefined,
): ReadOptions {
  const values = new Map<string, OptionValue>();
  const errors: string[] = [];
  const keyed = entry.options.filter((o) => !o.positional && !o.sendsAs);
  const accepted = keyed.map((o) => o.name);
  const meant: string[] = [];
  if (args.positional.length && !entry.options.some((o) => o.positional)) {
    const pairs = asPairs(entry, args, keyOf);
    const hint = pairs
      ? `; did you mean ${[...pairs].map(([key, words]) => `${key}=${words.join(',')}`).join(' ')}?`
      : '';
    meant.push(...(pairs?.keys() ?? []));
    errors.push(`${quoted(args.positional.join(' '))}: ${entry.name} takes key=value pairs only${hint}`);
  }
  for (const [key, raw] of args.pairs) {
    const option = keyed.find((o) => o.name === key);
    if (!option) {
      errors.push(unknownKey(key, accepted));
      continue;
    }
    const read = readValue(option, raw);
    if (read.error) errors.push(read.error);
    else if (read.value !== undefined) values.set(key, read.value);
  }
  return { values, errors, meant };
}
