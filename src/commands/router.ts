import type { Reply } from '../chat/replies';
import { parseArguments, tokenize } from './arguments';
import { type CommandContext, type CommandSpec, JOB_COMMANDS } from './registry';

export const COMMAND_PREFIX = '/faceoff';

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

/** One router for every adapter: `/faceoff <subcommand> [args]`, with specific errors and usage. */
export class CommandRouter {
  private readonly commands = new Map<string, CommandSpec>();

  constructor(specs: CommandSpec[]) {
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

  async route(text: string, base: Omit<CommandContext, 'args'>): Promise<Reply[]> {
    const stripped = text
      .trim()
      .replace(/^\/?faceoff\b/i, '')
      .trim();
    const tokens = tokenize(stripped);
    if (!tokens.ok) return [{ text: `Could not read the command: ${tokens.error}.`, ephemeral: true }];
    const [first, ...rest] = tokens.value;
    const name = first?.toLowerCase();
    if (!name || name === 'help' || name === '--help' || name === '-h') return [helpReply(this.described())];
    const spec = this.commands.get(name);
    if (!spec) {
      const job = JOB_COMMANDS.find((c) => c.name === name);
      if (job) {
        return [
          {
            text: `\`${COMMAND_PREFIX} ${name}\` needs the job system, which this process was started without. Start Faceoff with a queue (REDIS_URL, or \`npm run demo\`, which starts its own).`,
            ephemeral: true,
          },
        ];
      }
      const names = this.described().map((c) => c.name);
      return [
        {
          ...helpReply(this.described()),
          text: `Unknown subcommand "${first}". Accepted: help, ${names.join(', ')}.\n\n${helpReply(this.described()).text}`,
        },
      ];
    }
    const args = parseArguments(rest);
    if (!args.ok) {
      return [{ text: `${args.error}.\nUsage: \`${COMMAND_PREFIX} ${spec.usage}\``, ephemeral: true }];
    }
    return spec.handler({ ...base, args: args.value });
  }
}
