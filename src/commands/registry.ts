import type { ConversationRef } from '../chat/conversation';
import type { IncomingEvent, UserRef } from '../chat/incoming';
import type { PlatformCapabilities } from '../chat/platform-capabilities';
import type { Reply } from '../chat/replies';
import type { ParsedArguments } from './arguments';

export interface CommandContext {
  event: IncomingEvent;
  conversation: ConversationRef;
  user: UserRef;
  args: ParsedArguments;
  now: Date;
  /**
   * What the conversation's platform carries, e.g. `maxUploadBytes`: a command attaches a file that
   * fits (`fitsUpload`) and links to one that does not.
   */
  platform: PlatformCapabilities;
}

export type CommandHandler = (ctx: CommandContext) => Promise<Reply[]>;

/** Handlers by catalog name; parts of the app contribute theirs (the job system its commands). */
export type CommandHandlers = Partial<Record<string, CommandHandler>>;
