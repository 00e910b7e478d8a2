import type { PrismaClient } from './generated/client.js';
import { optionalJson } from './json-values.js';

/** A message the bot posted under a key, and may edit later. */
export interface PostedMessageRecord {
  /** Where the message is: a Slack channel id, a Discord channel or thread id. */
  channel: string;
  /** Slack's `ts`, Discord's message id. */
  messageId: string;
  /** The message still shows buttons or a select menu. */
  live: boolean;
  /** What the message becomes when a newer one under its key takes its controls (platform data). */
  retired?: unknown;
}

/**
 * Which message each reply key (`progress:<job>`, `decide-question`) of a conversation was posted
 * as. Shared by every bot process through the database, so whichever replica posts a job's next
 * progress edits the message another one (or this one before a restart) posted.
 */
export class PostedMessageRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async get(conversationKey: string, key: string): Promise<PostedMessageRecord | undefined> {
    const row = await this.prisma.postedMessage.findUnique({
      where: { conversationKey_key: { conversationKey, key } },
    });
    if (!row) return undefined;
    return {
      channel: row.channel,
      messageId: row.messageId,
      live: row.live,
      ...(row.retired !== null ? { retired: row.retired } : {}),
    };
  }

  /** Remembers the key's message (a new one replaces the one it named before). */
  async remember(
    conversationKey: string,
    key: string,
    message: PostedMessageRecord,
    now = new Date(),
  ): Promise<void> {
    const data = {
      channel: message.channel,
      messageId: message.messageId,
      live: message.live,
      // A message without controls has nothing to retire: SQL NULL.
      retired: optionalJson(message.retired ?? null, 'retired message'),
      updatedAt: now,
    };
    await this.prisma.postedMessage.upsert({
      where: { conversationKey_key: { conversationKey, key } },
      create: { conversationKey, key, ...data },
      update: data,
    });
  }

  /** Forgets keys not posted under or edited since `date` (finished jobs, old questionnaires); returns how many. */
  async purgeUnusedSince(date: Date): Promise<number> {
    const { count } = await this.prisma.postedMessage.deleteMany({ where: { updatedAt: { lt: date } } });
    return count;
  }
}
