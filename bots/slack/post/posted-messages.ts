import type { Reply } from '../../../src/chat/replies';

export interface PostedMessage {
  channel: string;
  ts: string;
  /** The reply it shows, so its controls can be taken off when a newer one supersedes it. */
  reply: Reply;
}

const LIMIT = 20_000;

/**
 * What this process posted: messages by (conversation, key) for `replaceKey` edits, and the thread
 * roots it started. Kept in memory, bounded (oldest forgotten first): after a restart a key is
 * unknown and the next notice under it is posted as a new message; a pressed button still names
 * its own message, so questionnaire answers keep replacing the right one.
 */
export class PostedMessages {
  private readonly byKey = new Map<string, PostedMessage>();
  private readonly roots = new Set<string>();

  get(conversationKey: string, key: string): PostedMessage | undefined {
    return this.byKey.get(`${conversationKey}|${key}`);
  }

  remember(conversationKey: string, key: string, message: PostedMessage): void {
    const id = `${conversationKey}|${key}`;
    this.byKey.delete(id);
    this.byKey.set(id, message);
    if (this.byKey.size > LIMIT) this.byKey.delete(this.byKey.keys().next().value as string);
  }

  markThreadRoot(team: string, channel: string, ts: string): void {
    this.roots.add(`${team}:${channel}:${ts}`);
    if (this.roots.size > LIMIT) this.roots.delete(this.roots.values().next().value as string);
  }

  isThreadRoot(team: string, channel: string, ts: string): boolean {
    return this.roots.has(`${team}:${channel}:${ts}`);
  }
}
