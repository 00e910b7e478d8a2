import type { ConversationRef } from '../chat/conversation';
import type { IncomingEvent, UserRef } from '../chat/incoming';
import type { Reply } from '../chat/replies';
import type { ParsedArguments } from './arguments';

export interface CommandContext {
  event: IncomingEvent;
  conversation: ConversationRef;
  user: UserRef;
  args: ParsedArguments;
  now: Date;
}

export type CommandHandler = (ctx: CommandContext) => Promise<Reply[]>;

export interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  /** Other names that reach the same command. */
  aliases?: string[];
  /** Puts work on the GPU queue: only users the access policy allows may run it. */
  startsGpuWork?: boolean;
  handler: CommandHandler;
}

/** Subcommands whose handlers come from the job system; without it they explain what is missing. */
export const JOB_COMMANDS: Omit<CommandSpec, 'handler'>[] = [
  {
    name: 'compare',
    usage:
      'compare task=<task|all|dataset id> model=<name or path> [methods=lora,full] [seeds=1..5] [max_steps=N] [lr_sweep=on|off] [gpus=N]',
    summary: 'run LoRA and full fine-tuning on the same data under identical controls',
    startsGpuWork: true,
  },
  { name: 'jobs', usage: 'jobs', summary: "this team's recent comparison jobs" },
  { name: 'status', usage: 'status <job id>', summary: 'progress, ETA and latest metrics of a job' },
  { name: 'cancel', usage: 'cancel <job id>', summary: 'stop a job (requester or admin)' },
  {
    name: 'retry',
    usage: 'retry <job id>',
    summary: 're-run the failed or cancelled runs of a job (requester or admin)',
    startsGpuWork: true,
  },
  { name: 'results', usage: 'results [job id]', summary: 'results table and charts of a job' },
  { name: 'subscribe', usage: 'subscribe', summary: "post this team's job notices in this channel" },
  { name: 'unsubscribe', usage: 'unsubscribe', summary: 'stop job notices in this channel' },
  { name: 'quota', usage: 'quota', summary: "this team's limits and GPU-hours used this month" },
];
