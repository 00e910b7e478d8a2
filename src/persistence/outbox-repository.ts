import { Prisma, type PrismaClient } from './generated/client.js';
import { jsonText, jsonValue, sqlTime } from './json-values.js';

/**
 * What a notice posts: a reply without images (stored as it is), or replies built when it is sent
 * (the announcement, whose charts are drawn then).
 */
export type NoticePayload =
  | { reply: StoredReply }
  | { render: 'announcement'; jobId: string }
  | { render: 'study'; studyId: string };

/** A reply as stored in the outbox: plain data (no image buffers). */
export type StoredReply = { text: string } & Record<string, unknown>;

export type NoticeKind = 'progress' | 'retry' | 'stage' | 'announcement' | 'subscriber' | 'lost';

export interface NoticeInput {
  /** Names the notice: writing the same key twice keeps one notice. */
  key: string;
  conversationKey: string;
  jobId?: string | null;
  kind: NoticeKind;
  payload: NoticePayload;
}

export interface NoticeRecord extends NoticeInput {
  state: string;
  version: number;
  partsSent: number;
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  sentAt: Date | null;
  lastError: string | null;
}

type Client = PrismaClient | Prisma.TransactionClient;

const toRow = (n: NoticeInput) => ({
  key: n.key,
  conversationKey: n.conversationKey,
  jobId: n.jobId ?? null,
  kind: n.kind,
  payload: jsonValue(n.payload, 'notice payload'),
});

/**
 * Writes notices with the client given (inside a transaction, with the state change they report);
 * a key already written is kept as it is. Returns how many were new.
 */
export async function writeNotices(client: Client, notices: readonly NoticeInput[]): Promise<number> {
  if (!notices.length) return 0;
  return client.$executeRaw(insertNotices(notices));
}

/**
 * A notice to each channel subscribed to a team's announcements, but the one that already gets
 * the full announcement: written in SQL with what it reports, so the subscribers are read in the
 * same statement as the change (no round trip to list them first, none missed in between).
 */
export interface SubscriberNotices {
  teamId: string;
  /** The channel left out (the announcement's own). */
  except: string;
  /** Each notice's key is this and the channel's key. */
  keyPrefix: string;
  jobId: string;
  kind: NoticeKind;
  payload: NoticePayload;
}

/**
 * The INSERT of the notices (and the subscribers' lines); a key already written is kept as it is.
 * With `after`, a data-modifying WITH's part that writes them only when the statement of that name
 * returned a row (the change they report happened).
 */
export function insertNotices(
  notices: readonly NoticeInput[],
  { after, subscribers }: { after?: string; subscribers?: SubscriberNotices | undefined } = {},
): Prisma.Sql {
  const now = sqlTime(new Date());
  const rows: Prisma.Sql[] = [];
  if (notices.length) {
    const values = notices.map(
      (n) =>
        Prisma.sql`(${n.key}, ${n.jobId ?? null}, ${n.conversationKey}, ${n.kind}, ${jsonText(n.payload, 'notice payload')})`,
    );
    rows.push(Prisma.sql`SELECT * FROM (VALUES ${Prisma.join(values)}) AS v`);
  }
  if (subscribers) {
    const { teamId, except, keyPrefix, jobId, kind, payload } = subscribers;
    rows.push(Prisma.sql`
      SELECT ${keyPrefix} || s."channelKey", ${jobId}, s."channelKey", ${kind}, ${jsonText(payload, 'notice payload')}
      FROM "ChannelSubscription" s WHERE s."teamId" = ${teamId} AND s."channelKey" <> ${except}`);
  }
  if (!rows.length) throw new RangeError('no notices to write');
  return Prisma.sql`
    INSERT INTO "OutboxNotice" ("key", "jobId", "conversationKey", "kind", "payload", "nextAttemptAt", "createdAt")
    SELECT n."key", n."jobId", n."conversationKey", n."kind", n."payload"::jsonb, ${now}, ${now}
    FROM (${Prisma.join(rows, ' UNION ALL ')}) AS n("key", "jobId", "conversationKey", "kind", "payload")
    ${after ? Prisma.sql`WHERE EXISTS (SELECT 1 FROM ${Prisma.raw(`"${after}"`)})` : Prisma.empty}
    ON CONFLICT DO NOTHING`;
}

/**
 * The part of a data-modifying WITH that writes the notices and subscribers' lines once the
 * statement named `after` changed a row; empty when there is nothing to write.
 */
export function noticesAfter(
  after: string,
  notices: readonly NoticeInput[] = [],
  subscribers?: SubscriberNotices,
): Prisma.Sql {
  return notices.length || subscribers
    ? Prisma.sql`, written AS (${insertNotices(notices, { after, subscribers })})`
    : Prisma.empty;
}

/** The outbox: notices about comparisons waiting to be posted, posted, or given up on. */
export class OutboxRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Adds the notices; a key already written is kept as it is. Returns how many were new. */
  enqueue(notices: readonly NoticeInput[]): Promise<number> {
    return writeNotices(this.prisma, notices);
  }

  /**
   * Writes the notice, or replaces a pending or sent one of the same key (the latest progress wins).
   * One still pending keeps its place in its conversation's order: a progress replaced faster than
   * notices go out would otherwise stay at the back and be posted only once it stopped changing.
   * One already sent is written anew, after everything before it.
   */
  async replace(notice: NoticeInput, now: Date): Promise<void> {
    const row = toRow(notice);
    const { count } = await this.prisma.outboxNotice.updateMany({
      where: { key: notice.key, state: 'pending' },
      data: {
        payload: row.payload,
        conversationKey: row.conversationKey,
        version: { increment: 1 },
        partsSent: 0,
        attempts: 0,
        nextAttemptAt: now,
        lastError: null,
      },
    });
    if (count === 1) return;
    await this.prisma.outboxNotice.upsert({
      where: { key: notice.key },
      create: row,
      update: {
        payload: row.payload,
        conversationKey: row.conversationKey,
        state: 'pending',
        version: { increment: 1 },
        partsSent: 0,
        attempts: 0,
        nextAttemptAt: now,
        lastError: null,
        createdAt: now,
      },
    });
  }

  /**
   * Claims up to `limit` pending notices that are due, oldest first, for `leaseMs`: a notice another
   * sender holds is skipped, and one whose sender died is claimed again once its lease runs out.
   */
  async claimDue(now: Date, limit: number, leaseMs: number): Promise<NoticeRecord[]> {
    const due = await this.prisma.outboxNotice.findMany({
      where: {
        state: 'pending',
        nextAttemptAt: { lte: now },
        OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
      },
      orderBy: [{ createdAt: 'asc' }, { key: 'asc' }],
      take: limit,
    });
    const claimed: NoticeRecord[] = [];
    for (const row of due) {
      const { count } = await this.prisma.outboxNotice.updateMany({
        where: {
          key: row.key,
          version: row.version,
          state: 'pending',
          OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
        },
        data: { leaseUntil: new Date(now.getTime() + leaseMs) },
      });
      if (count === 1) claimed.push(row as unknown as NoticeRecord);
    }
    return claimed;
  }

  /** True when an older notice to the same conversation still waits to be posted (this one waits behind it). */
  async waitsBehind(notice: Pick<NoticeRecord, 'key' | 'conversationKey' | 'createdAt'>): Promise<boolean> {
    const earlier = await this.prisma.outboxNotice.count({
      where: {
        conversationKey: notice.conversationKey,
        state: 'pending',
        OR: [
          { createdAt: { lt: notice.createdAt } },
          { createdAt: notice.createdAt, key: { lt: notice.key } },
        ],
      },
    });
    return earlier > 0;
  }

  /** Records that the first `parts` replies of the notice are posted. */
  async markPartsSent(key: string, version: number, parts: number): Promise<void> {
    await this.prisma.outboxNotice.updateMany({ where: { key, version }, data: { partsSent: parts } });
  }

  /** The notice is posted: sent, unless a newer version replaced it meanwhile (then only the claim ends). */
  async markSent(key: string, version: number, now: Date): Promise<void> {
    const { count } = await this.prisma.outboxNotice.updateMany({
      where: { key, version },
      data: { state: 'sent', sentAt: now, leaseUntil: null, lastError: null },
    });
    if (count === 0)
      await this.prisma.outboxNotice.updateMany({ where: { key }, data: { leaseUntil: null } });
  }

  /** Posting failed: try again at `retryAt` (or give up when `abandon`). */
  async markFailed(
    key: string,
    version: number,
    error: string,
    retryAt: Date,
    abandon = false,
  ): Promise<void> {
    await this.prisma.outboxNotice.updateMany({
      where: { key, version },
      data: {
        attempts: { increment: 1 },
        lastError: error.slice(0, 1000),
        nextAttemptAt: retryAt,
        leaseUntil: null,
        ...(abandon ? { state: 'abandoned' } : {}),
      },
    });
  }

  /** Ends a claim without counting an attempt (the notice waits behind an earlier one). */
  async release(key: string, version: number): Promise<void> {
    await this.prisma.outboxNotice.updateMany({ where: { key, version }, data: { leaseUntil: null } });
  }

  get(key: string): Promise<NoticeRecord | null> {
    return this.prisma.outboxNotice.findUnique({ where: { key } }) as unknown as Promise<NoticeRecord | null>;
  }

  /** The job's notices, oldest first. */
  forJob(jobId: string): Promise<NoticeRecord[]> {
    return this.prisma.outboxNotice.findMany({
      where: { jobId },
      orderBy: [{ createdAt: 'asc' }, { key: 'asc' }],
    }) as unknown as Promise<NoticeRecord[]>;
  }

  /** How many notices wait to be posted; with `dueBy`, only those due by then. */
  pending(dueBy?: Date): Promise<number> {
    return this.prisma.outboxNotice.count({
      where: { state: 'pending', ...(dueBy ? { nextAttemptAt: { lte: dueBy } } : {}) },
    });
  }

  /** Forgets notices posted or given up on before `date`; returns how many. */
  async purgeFinishedBefore(date: Date): Promise<number> {
    const { count } = await this.prisma.outboxNotice.deleteMany({
      where: { state: { in: ['sent', 'abandoned'] }, createdAt: { lt: date } },
    });
    return count;
  }
}
