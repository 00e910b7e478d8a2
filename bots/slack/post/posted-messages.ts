import type { Reply } from '../../../src/chat/replies';
import type { PostedMessageRepository } from '../../../src/persistence/index';
import { renderReply, type SlackMessage } from '../render/blocks';

export interface PostedMessage {
  channel: string;
  ts: string;
  /** The message still shows buttons or a select menu. */
  live: boolean;
  /** The message as it shows once a newer one under its key takes its controls. */
  retired?: SlackMessage;
}

/** A thread root the bot started, remembered under the thread's own conversation. */
const THREAD_ROOT = 'thread-root';
const threadConversation = (team: string, channel: string, ts: string) => `slack:${team}:${channel}:${ts}`;

const hasControls = (reply: Reply) => Boolean(reply.buttons?.length || reply.select);

/**
 * What the bot posted: messages by (conversation, key) for `replaceKey` edits, and the thread roots
 * it started. Kept in the database, which every bot process shares: whichever replica posts a job's
 * next progress (or a restarted one) edits the message already posted instead of posting another.
 * No copy is kept in memory: a replica's copy could name a message another replica has since
 * replaced, and one primary-key read costs far less than the Web API call it precedes.
 */
export class PostedMessages {
  constructor(private readonly store: Pick<PostedMessageRepository, 'get' | 'remember'>) {}

  async get(conversationKey: string, key: string): Promise<PostedMessage | undefined> {
    const found = await this.store.get(conversationKey, key);
    if (!found) return undefined;
    return {
      channel: found.channel,
      ts: found.messageId,
      live: found.live,
      ...(found.retired ? { retired: found.retired as SlackMessage } : {}),
    };
  }

  async remember(
    conversationKey: string,
    key: string,
    message: { channel: string; ts: string; reply: Reply },
  ): Promise<void> {
    const live = hasControls(message.reply);
    await this.store.remember(conversationKey, key, {
      channel: message.channel,
      messageId: message.ts,
      live,
      ...(live ? { retired: renderReply(message.reply, { withoutControls: true }) } : {}),
    });
  }

  markThreadRoot(team: string, channel: string, ts: string): Promise<void> {
    return this.store.remember(threadConversation(team, channel, ts), THREAD_ROOT, {
      channel,
      messageId: ts,
      live: false,
    });
  }

  async isThreadRoot(team: string, channel: string, ts: string): Promise<boolean> {
    return (await this.store.get(threadConversation(team, channel, ts), THREAD_ROOT)) !== undefined;
  }
}
