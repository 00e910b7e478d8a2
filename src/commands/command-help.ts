/**
 * One command's help (`/faceoff help compare`, `/faceoff compare help`), from its catalog entry:
 * what it does, its usage, and each option with what it takes (bounds, choices, on/off), its
 * default and whether it is required. Nothing here is written by hand per command except examples.
 */
import type { Reply } from '../chat/replies';
import type { CommandEntry, OptionSpec } from './command-entry';
import { numberRange, usageOf } from './command-entry';
import { COMMAND_PREFIX } from './command-text';

function accepts(option: OptionSpec): string | undefined {
  // Choices the description names already are not listed twice (compare's methods).
  const named = option.choices?.every((c) => option.description.includes(c.value));
  const values = named ? undefined : option.choices?.map((c) => c.value).join(', ');
  switch (option.type) {
    case 'boolean':
      return 'on or off';
    case 'list':
      return values ? `one or more of ${values}, comma-separated` : 'one or more, comma-separated';
    case 'integer':
    case 'number':
      return numberRange(option);
    case 'string':
      if (!values) return undefined;
      return option.openChoices ? `for example ${values}` : `one of ${values}`;
  }
}

function optionLine(option: OptionSpec): string {
  const name = option.positional ? `<${option.placeholder ?? option.name}>` : option.name;
  const description = option.description.replace(/\.$/, '');
  const parts = [description];
  const taken = accepts(option);
  if (taken) parts.push(taken.charAt(0).toUpperCase() + taken.slice(1));
  // Most descriptions say their default already; the others get it here.
  if (option.defaultValue !== undefined && !/\bdefault\b/i.test(description))
    parts.push(`Default ${option.defaultValue}`);
  return `• \`${name}\`${option.required ? ' (required)' : ''}: ${parts.join('. ')}.`;
}

export function commandHelpReply(entry: CommandEntry): Reply {
  // An option sent under another key (Discord's `dataset`) is that key's other spelling.
  const options = entry.options.filter((o) => !o.sendsAs);
  const lines = [
    `*${COMMAND_PREFIX} ${entry.name}*: ${entry.summary}.`,
    `Usage: \`${COMMAND_PREFIX} ${usageOf(entry)}\``,
  ];
  if (options.length) lines.push('', ...options.map(optionLine));
  if (entry.examples?.length)
    lines.push(
      '',
      `Example${entry.examples.length > 1 ? 's' : ''}:`,
      ...entry.examples.map((e) => `\`${COMMAND_PREFIX} ${e}\``),
    );
  if (entry.startsGpuWork)
    lines.push('', 'It queues training runs: only members allowed to start GPU work may run it.');
  lines.push('', `\`${COMMAND_PREFIX} help\` lists every command.`);
  return { text: lines.join('\n'), ephemeral: true };
}
