/**
 * What the command catalog says about a command: its options with types, bounds, choices and
 * autocomplete sources, whether it starts GPU work or opens a thread. The router, help, Discord's
 * command registration, Slack's forms and the permission check all read these entries.
 */

export interface OptionChoice {
  value: string;
  label: string;
}

/** Where an option's suggestions come from (what the team has: its models, datasets, jobs). */
export type AutocompleteSource = 'model' | 'dataset' | 'job';

export interface OptionSpec {
  name: string;
  /** One line, at most 100 characters (Discord's limit). */
  description: string;
  /** `list`: a comma-separated list of choices (methods=lora,full). */
  type: 'string' | 'integer' | 'number' | 'boolean' | 'list';
  required?: boolean;
  /** Typed as a bare word (`status abc1234`) instead of key=value. */
  positional?: boolean;
  min?: number;
  max?: number;
  choices?: readonly OptionChoice[];
  /** The choices are suggestions, not the whole set (compare's task also takes dataset ids). */
  openChoices?: boolean;
  autocomplete?: AutocompleteSource;
  /** What the usage line shows as the value (`<task|all|dataset id>`). */
  placeholder?: string;
  /** The default, as text (forms start from it; help shows it). */
  defaultValue?: string;
  /** Platforms with typed options send it under this key (Discord's `dataset` is compare's `task`). */
  sendsAs?: string;
  /** Shown in forms (Slack's compare form). */
  inForm?: boolean;
}

export interface CommandEntry {
  name: string;
  summary: string;
  options: readonly OptionSpec[];
  /** Puts work on the GPU queue: only users the access policy allows may run it. */
  startsGpuWork?: boolean;
  /** Answered in a thread of its own (the questionnaire, a comparison's progress and results). */
  opensThread?: boolean;
  /** Served by the job system; without it the router says what is missing. */
  needsJobSystem?: boolean;
  /** A usage line written by hand where the derived one would not read well. */
  usage?: string;
  /** Takes free text after its name (`decide we have $5k and two weeks`): no argument errors. */
  freeText?: boolean;
  /** Command texts after `/faceoff`, shown in its help (each one accepted as typed). */
  examples?: readonly string[];
}

function optionUsage(option: OptionSpec): string {
  const value =
    option.placeholder ??
    (option.type === 'boolean'
      ? 'on|off'
      : option.min !== undefined && option.max !== undefined
        ? `${option.min}..${option.max}`
        : option.type === 'list'
          ? (option.defaultValue ?? 'a,b')
          : option.choices?.length && !option.openChoices
            ? option.choices.map((c) => c.value).join('|')
            : 'N');
  const text = option.positional ? `<${option.placeholder ?? option.name}>` : `${option.name}=${value}`;
  return option.required ? text : `[${text}]`;
}

/** What a number option takes, as help and its refusal both say it: `a whole number from 1 to 5`. */
export function numberRange(option: OptionSpec): string {
  const kind = option.type === 'integer' ? 'a whole number' : 'a number';
  return option.min !== undefined && option.max !== undefined
    ? `${kind} from ${option.min} to ${option.max}`
    : kind;
}

/** `compare task=<...> model=<...> [seeds=1..5] ...`: derived from the options unless given. */
export function usageOf(entry: CommandEntry): string {
  if (entry.usage) return entry.usage;
  const shown = entry.options.filter((o) => !o.sendsAs);
  return [entry.name, ...shown.map(optionUsage)].join(' ');
}

export function optionOf(entry: CommandEntry, name: string): OptionSpec | undefined {
  return entry.options.find((o) => o.name === name);
}
