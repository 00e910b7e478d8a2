import { err, ok, type Result } from '../../src/parsing/result';

/** One typed slash-command option as Discord delivers it. */
export interface OptionValue {
  name: string;
  value?: string | number | boolean | undefined;
}

/** Options passed as a positional word rather than key=value. */
const POSITIONAL = new Set(['job']);

/** Quotes a value for the router's tokenizer when it holds spaces or quotes. */
export function quoteArgument(value: string): string {
  if (!/[\s"'\u201c\u201d]/.test(value)) return value;
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

function optionText(option: OptionValue): string | undefined {
  if (option.value === undefined || option.value === '') return undefined;
  if (option.name === 'lr_sweep' && typeof option.value === 'boolean')
    return `lr_sweep=${option.value ? 'on' : 'off'}`;
  const text = quoteArgument(String(option.value));
  return POSITIONAL.has(option.name) ? text : `${option.name}=${text}`;
}

/**
 * A `/faceoff <subcommand>` with typed options as the text the neutral router reads
 * (`compare model=tiny task=customer_service seeds=2`), so both paths share one parser and its errors.
 */
export function commandText(subcommand: string, options: readonly OptionValue[]): Result<string> {
  const given = options.filter((o) => o.value !== undefined && o.value !== '');
  if (subcommand === 'compare') {
    const task = given.find((o) => o.name === 'task');
    const dataset = given.find((o) => o.name === 'dataset');
    if (task && dataset)
      return err('Give either task or dataset, not both: a comparison runs on one of them.');
    const renamed = given.map((o) => (o.name === 'dataset' ? { name: 'task', value: o.value } : o));
    return ok(['compare', ...renamed.map(optionText).filter((t): t is string => !!t)].join(' '));
  }
  return ok([subcommand, ...given.map(optionText).filter((t): t is string => !!t)].join(' '));
}
