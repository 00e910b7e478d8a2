import { AccessPolicy } from '../access/access-policy';
import type { Reply } from '../chat/replies';
import { type ParsedArguments, parseArguments, tokenize } from './arguments';
import { COMMAND_PREFIX, subcommandName, withoutPrefix } from './command-text';
import { type CommandContext, type CommandSpec, JOB_COMMANDS } from './registry';

export { COMMAND_PREFIX } from './command-text';

type Described = Pick<CommandSpec, 'name' | 'usage' | 'summary'>;

export function helpReply(commands: Described[]): Reply {
  const lines = commands.map((c) => `\`${COMMAND_PREFIX} ${c.usage}\`: ${c.summary}`);
  return {
    text: [
      '*Faceoff*: LoRA or full fine-tuning, for your task. Decide with the framework, then measure.',
      `\`${COMMAND_PREFIX} help\`: this message`,
      ...lines,
    ].join('\n'),
    ephemeral: true,
  };
}

/** What a command text resolves to, before anything runs. */
export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'unreadable'; error: string }
  | { kind: 'unknown'; typed: string; name: string }
  | { kind: 'command'; spec: CommandSpec; args: Result<ParsedArguments> };

type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * One router for every adapter: `/faceoff <subcommand> [args]`, with specific errors and usage.
 * Whether a command starts GPU work is checked here, on the command as parsed, so no spelling of
 * its name (quotes, fullwidth letters, invisible characters) reaches a handler unchecked.
 */
export class CommandRouter {
  private readonly commands = new Map<string, CommandSpec>();

  constructor(
    specs: CommandSpec[],
    private readonly access: AccessPolicy = new AccessPolicy(),
  ) {
    for (const spec of specs) this.register(spec);
  }

  register(spec: CommandSpec): void {
    for (const name of [spec.name, ...(spec.aliases ?? [])]) this.commands.set(name, spec);
  }

  /** Every command for help, in registration order, with job commands listed even when unavailable. */
  described(): Described[] {
    const specs = [...new Set(this.commands.values())];
    const missing = JOB_COMMANDS.filter((c) => !this.commands.has(c.name));
    return [...specs, ...missing];
  }

  parse(text: string): ParsedCommand {
    const tokens = tokenize(withoutPrefix(text));
    if (!tokens.ok) return { kind: 'unreadable', error: tokens.error };
    const [first, ...rest] = tokens.value;
    const name = first === undefined ? '' : subcommandName(first);
    if (!name || name === 'help' || name === '--help' || name === '-h') return { kind: 'help' };
    const spec = this.commands.get(name);
    if (!spec) return { kind: 'unknown', typed: first ?? '', name };
    return { kind: 'command', spec, args: parseArguments(rest) };
  }

  /** The name of the command a text runs (after aliases), if it names one. */
  commandName(text: string): string | undefined {
    const parsed = this.parse(text);
    return parsed.kind === 'command' ? parsed.spec.name : undefined;
  }

  async route(text: string, base: Omit<CommandContext, 'args'>): Promise<Reply[]> {
    const parsed = this.parse(text);
    switch (parsed.kind) {
      case 'help':
        return [helpReply(this.described())];
      case 'unreadable':
        return [{ text: `Could not read the command: ${parsed.error}.`, ephemeral: true }];
      case 'unknown':
        return [this.unknown(parsed.typed, parsed.name)];
      case 'command': {
        const { spec, args } = parsed;
        if (spec.startsGpuWork && !this.access.mayDispatch(base.user, base.conversation))
          return [
            {
              text: this.access.refusal(`\`${COMMAND_PREFIX} ${spec.name}\``, base.conversation),
              ephemeral: true,
            },
          ];
        if (!args.ok)
          return [{ text: `${args.error}.\nUsage: \`${COMMAND_PREFIX} ${spec.usage}\``, ephemeral: true }];
        return spec.handler({ ...base, args: args.value });
      }
    }
  }

  private unknown(typed: string, name: string): Reply {
    const job = JOB_COMMANDS.find((c) => c.name === name);
    if (job) {
      return {
        text: `\`${COMMAND_PREFIX} ${name}\` needs the job system, which this process was started without. Start Faceoff with a queue (REDIS_URL, or \`npm run demo\`, which starts its own).`,
        ephemeral: true,
      };
    }
    const help = helpReply(this.described());
    const names = this.described().map((c) => c.name);
    const shown = typed.length > 40 ? `${typed.slice(0, 40)}…` : typed;
    return {
      ...help,
      text: `Unknown subcommand "${shown}". Accepted: help, ${names.join(', ')}.\n\n${help.text}`,
    };
  }
}
