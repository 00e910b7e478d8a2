import { AccessPolicy } from '../access/access-policy';
import type { Reply } from '../chat/replies';
import { quoted } from '../render/shorten';
import { type ParsedArguments, parseArguments, tokenize } from './arguments';
import { COMMAND_CATALOG } from './catalog';
import { type CommandEntry, usageOf } from './command-entry';
import { commandHelpReply } from './command-help';
import { COMMAND_PREFIX, subcommandName, withoutPrefix } from './command-text';
import type { CommandContext, CommandHandler, CommandHandlers } from './registry';
import { suggestion } from './suggest';

export { COMMAND_PREFIX } from './command-text';

export function helpReply(entries: readonly CommandEntry[]): Reply {
  const lines = entries.map((e) => `\`${COMMAND_PREFIX} ${usageOf(e)}\`: ${e.summary}`);
  return {
    text: [
      '*Faceoff*: LoRA or full fine-tuning, for your task. Decide with the framework, then measure.',
      ...lines,
    ].join('\n'),
    ephemeral: true,
  };
}

/** What a command text resolves to, before anything runs. */
export type ParsedCommand =
  /** General help, or one command's (`help compare`, `compare help`, `compare --help`). */
  | { kind: 'help'; entry?: CommandEntry }
  | { kind: 'unreadable'; error: string }
  | { kind: 'unknown'; typed: string; name: string }
  | { kind: 'command'; entry: CommandEntry; args: Result<ParsedArguments> };

type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** Words that ask for help, typed as the subcommand or as a command's only argument. */
const HELP_WORDS = new Set(['help', '--help', '-h', '?']);
const asksForHelp = (word: string) =>
  HELP_WORDS.has(word.toLowerCase()) || HELP_WORDS.has(subcommandName(word));

/**
 * One router for every adapter: `/faceoff <subcommand> [args]` over the command catalog, with
 * specific errors and usage. Whether a command starts GPU work is checked here, on the command as
 * parsed, so no spelling of its name (quotes, fullwidth letters, invisible characters) reaches a
 * handler unchecked.
 */
export class CommandRouter {
  private readonly handlers = new Map<string, CommandHandler>();

  constructor(
    handlers: CommandHandlers,
    private readonly access: AccessPolicy = new AccessPolicy(),
    private readonly catalog: readonly CommandEntry[] = COMMAND_CATALOG,
  ) {
    for (const [name, handler] of Object.entries(handlers)) {
      if (!handler) continue;
      if (!catalog.some((e) => e.name === name))
        throw new Error(`handler for "${name}", which the catalog lacks`);
      this.handlers.set(name, handler);
    }
    const missing = catalog.filter(
      (e) => e.name !== 'help' && !e.needsJobSystem && !this.handlers.has(e.name),
    );
    if (missing.length) throw new Error(`no handler for ${missing.map((e) => e.name).join(', ')}`);
  }

  /** The catalog's entries, for help and platform registration. */
  entries(): readonly CommandEntry[] {
    return this.catalog;
  }

  parse(text: string): ParsedCommand {
    const body = withoutPrefix(text);
    const tokens = tokenize(body);
    if (!tokens.ok) {
      const [first = '', ...words] = body.split(/\s+/);
      const entry = this.catalog.find((e) => e.name === subcommandName(first));
      if (entry?.freeText)
        return { kind: 'command', entry, args: { ok: true, value: { positional: words, pairs: new Map() } } };
      return { kind: 'unreadable', error: tokens.error };
    }
    const [first, ...rest] = tokens.value;
    const name = first === undefined ? '' : subcommandName(first);
    if (!name || asksForHelp(first ?? '')) return this.helpOn(rest[0]);
    const entry = this.catalog.find((e) => e.name === name);
    if (!entry) return { kind: 'unknown', typed: first ?? '', name };
    if (rest.length === 1 && asksForHelp(rest[0] ?? '')) return { kind: 'help', entry };
    const args = parseArguments(rest);
    if (!args.ok && entry.freeText)
      return { kind: 'command', entry, args: { ok: true, value: { positional: rest, pairs: new Map() } } };
    // Words after a command that takes none (`jobs failed`) would be ignored: say so instead.
    if (args.ok && !entry.options.length && rest.length)
      return {
        kind: 'command',
        entry,
        args: { ok: false, error: `${quoted(rest.join(' '))}: ${entry.name} takes nothing after its name` },
      };
    return { kind: 'command', entry, args };
  }

  /** `help` alone, or `help <command>`: that command's help, or what was meant by an unknown name. */
  private helpOn(topic: string | undefined): ParsedCommand {
    if (topic === undefined || asksForHelp(topic)) return { kind: 'help' };
    const name = subcommandName(topic);
    const entry = this.catalog.find((e) => e.name === name);
    if (!entry) return { kind: 'unknown', typed: topic, name };
    return entry.name === 'help' ? { kind: 'help' } : { kind: 'help', entry };
  }

  /**
   * Whether every reply to this text is known to be private before anything runs: help, and a
   * command that cannot be read or whose arguments are refused. A platform that must choose how to
   * acknowledge before answering (Discord's deferral) acknowledges these privately.
   */
  answersPrivately(text: string): boolean {
    const parsed = this.parse(text);
    return parsed.kind !== 'command' || !parsed.args.ok;
  }

  /** The catalog entry a text runs, if it names one. */
  entryOf(text: string): CommandEntry | undefined {
    const parsed = this.parse(text);
    return parsed.kind === 'command' ? parsed.entry : undefined;
  }

  async route(text: string, base: Omit<CommandContext, 'args'>): Promise<Reply[]> {
    const parsed = this.parse(text);
    switch (parsed.kind) {
      case 'help':
        return [parsed.entry ? commandHelpReply(parsed.entry) : helpReply(this.catalog)];
      case 'unreadable':
        return [{ text: `Could not read the command: ${parsed.error}.`, ephemeral: true }];
      case 'unknown':
        return [this.unknown(parsed.typed)];
      case 'command': {
        const { entry, args } = parsed;
        if (entry.startsGpuWork && !this.access.mayDispatch(base.user, base.conversation))
          return [
            {
              text: this.access.refusal(`\`${COMMAND_PREFIX} ${entry.name}\``, base.conversation),
              ephemeral: true,
            },
          ];
        const handler = this.handlers.get(entry.name);
        if (!handler) {
          return [
            {
              text: `\`${COMMAND_PREFIX} ${entry.name}\` needs the job system, which this process was started without. Start Faceoff with a queue (REDIS_URL, or \`npm run demo\`, which starts its own).`,
              ephemeral: true,
            },
          ];
        }
        if (!args.ok)
          return [
            { text: `${args.error}.\nUsage: \`${COMMAND_PREFIX} ${usageOf(entry)}\``, ephemeral: true },
          ];
        return handler({ ...base, args: args.value });
      }
    }
  }

  private unknown(typed: string): Reply {
    const help = helpReply(this.catalog);
    const names = this.catalog.map((e) => e.name);
    const shown = typed.length > 40 ? `${typed.slice(0, 40)}…` : typed;
    const close = suggestion(typed, names);
    const meant = close ? ` Did you mean ${close}?` : '';
    return {
      ...help,
      text: `Unknown subcommand "${shown}".${meant} Accepted: ${names.join(', ')}.\n\n${help.text}`,
    };
  }
}
