import type { PostedMessageRepository } from '../../src/persistence/index';

/** A message the bot posted and may edit later. */
export interface PostedMessage {
  channelId: string;
  messageId: string;
  /** The message still shows buttons or a select menu. */
  live: boolean;
}

/**
 * Which message each reply key (`decide-question`, `progress:<job>`) was posted as, per conversation.
 * Kept in the database, which every bot process shares: the process that posts a job's next
 * progress (another one, or this one after a restart) edits the message already posted.
 */
export class MessageKeys {
  constructor(private readonly store: Pick<PostedMessageRepository, 'get' | 'remember'>) {}

  async get(conversationKey: string, key: string): Promise<PostedMessage | undefined> {
    const found = await this.store.get(conversationKey, key);
    return found && { channelId: found.channel, messageId: found.messageId, live: found.live };
  }

  set(conversationKey: string, key: string, message: PostedMessage): Promise<void> {
    return this.store.remember(conversationKey, key, {
      channel: message.channelId,
      messageId: message.messageId,
      live: message.live,
    });
  }
}
