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

/** Handlers by catalog name; parts of the app contribute theirs (the job system its commands). */
export type CommandHandlers = Partial<Record<string, CommandHandler>>;
