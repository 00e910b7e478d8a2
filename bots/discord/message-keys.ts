/** A message the bot posted and may edit later. */
export interface PostedMessage {
  channelId: string;
  messageId: string;
  /** The message still shows buttons or a select menu. */
  live: boolean;
}

/**
 * Which message each reply key (`decide-question`, `progress:<job>`) was posted as, per conversation.
 * Kept in memory, bounded (oldest forgotten first): after a restart a keyed reply is posted anew
 * instead of editing the old message. Conversations themselves live in the database.
 */
export class MessageKeys {
  private readonly entries = new Map<string, PostedMessage>();

  constructor(private readonly limit = 10_000) {}

  private static id(conversationKey: string, key: string): string {
    return `${conversationKey}|${key}`;
  }

  get(conversationKey: string, key: string): PostedMessage | undefined {
    return this.entries.get(MessageKeys.id(conversationKey, key));
  }

  set(conversationKey: string, key: string, message: PostedMessage): void {
    const id = MessageKeys.id(conversationKey, key);
    this.entries.delete(id);
    this.entries.set(id, message);
    while (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
