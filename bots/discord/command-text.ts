/**
 * A `/faceoff <subcommand>` with typed options as the text the neutral router reads
 * (`compare model=tiny task=customer_service seeds=2`), so both paths share one parser and its
 * errors. How each option is written comes from the command catalog: positional words, on/off
 * switches, and options sent under another key (Discord's `dataset` is compare's `task`).
 */
import { COMMAND_CATALOG } from '../../src/commands/catalog';
import type { OptionSpec } from '../../src/commands/command-entry';
import { err, ok, type Result } from '../../src/parsing/result';

/** One typed slash-command option as Discord delivers it. */
export interface OptionValue {
  name: string;
  value?: string | number | boolean | undefined;
}

/** Quotes a value for the router's tokenizer when it holds spaces or quotes. */
export function quoteArgument(value: string): string {
  if (!/[\s"'\u201c\u201d]/.test(value)) return value;
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

function optionText(spec: OptionSpec | undefined, option: OptionValue): string {
  const key = spec?.sendsAs ?? option.name;
  if (spec?.type === 'boolean' && typeof option.value === 'boolean')
    return `${key}=${option.value ? 'on' : 'off'}`;
  const text = quoteArgument(String(option.value));
  return spec?.positional ? text : `${key}=${text}`;
}

export function commandText(subcommand: string, options: readonly OptionValue[]): Result<string> {
  const entry = COMMAND_CATALOG.find((e) => e.name === subcommand);
  const given = options.filter((o) => o.value !== undefined && o.value !== '');
  const specOf = (name: string) => entry?.options.find((o) => o.name === name);
  for (const option of given) {
    const target = specOf(option.name)?.sendsAs;
    if (target && given.some((o) => o.name === target))
      return err(`Give either ${target} or ${option.name}, not both: a ${subcommand} runs on one of them.`);
  }
  return ok([subcommand, ...given.map((o) => optionText(specOf(o.name), o))].join(' '));
}
