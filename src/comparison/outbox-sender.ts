import type { Reply } from '../chat/replies';
import type { NoticeRecord, OutboxRepository } from '../persistence/outbox-repository';
import type { Notifier } from './ports';

export type OutboxStore = Pick<
  OutboxRepository,
  'claimDue' | 'markPartsSent' | 'markSent' | 'markFailed' | 'release' | 'pending' | 'waitsBehind'
>;

export interface OutboxSenderOptions {
  outbox: OutboxStore;
  notifier: Notifier;
  /** The replies a notice posts (an announcement is built when it is sent). */
  render: (notice: NoticeRecord) => Promise<Reply[]>;
  clock?: () => Date;
  log?: (message: string) => void;
  /** How often due notices are looked for when nothing kicks the sender (ms). */
  pollMs?: number;
  /** How long a claimed notice stays with this sender before another may take it (ms). */
  leaseMs?: number;
  /** First retry delay and the cap of the exponential backoff (ms). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A notice still not posted this long after it was written is given up (ms; default a day). */
  giveUpAfterMs?: number;
  /** Conversations posted to at the same time (default 8); each conversation's notices stay in order. */
  lanes?: number;
}

const BATCH = 50;

/** An error in one line: the last line of a long message (database clients put the cause there). */
export function briefly(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.at(-1) ?? 'unknown error').slice(0, 300);
}

/** How long the platform asked us to wait, when the error says (429 answers). */
export function retryAfterMs(error: unknown): number | undefined {
  const e = error as { retryAfterMs?: unknown; retryAfter?: unknown; code?: unknown } | null;
  if (!e || typeof e !== 'object') return undefined;
  if (typeof e.retryAfterMs === 'number' && Number.isFinite(e.retryAfterMs)) return e.retryAfterMs;
  // Slack's rate-limit error carries seconds.
  if (e.code === 'slack_webapi_rate_limited_error' && typeof e.retryAfter === 'number')
    return e.retryAfter * 1000;
  return undefined;
}

/** Exponential backoff with full jitter's upper half: attempt 1 waits base..base*2, capped. */
export function backoffDelay(attempt: number, base: number, cap: number, random = Math.random): number {
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The notices of each conversation, in the order claimed (oldest first). */
function byConversation(notices: NoticeRecord[]): Map<string, NoticeRecord[]> {
  const groups = new Map<string, NoticeRecord[]>();
  for (const notice of notices) {
    const group = groups.get(notice.conversationKey);
    if (group) group.push(notice);
    else groups.set(notice.conversationKey, [notice]);
  }
  return groups;
}

/** Runs `work` on every item, at most `lanes` at a time, in order of start; settles when all have. */
async function inLanes<T>(items: T[], lanes: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  const results = await Promise.allSettled(
    Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Posts the outbox's notices: claims what is due, posts each (a multi-part notice resumes after
 * the parts already posted), marks it sent, and on failure retries with backoff (or after the
 * wait a 429 asked for). Notices to one conversation go out in the order they were written: while
 * an older one waits for its retry, the later ones to that conversation wait behind it. Different
 * conversations are posted to at the same time (`lanes` of them), so one waiting for its turn to
 * edit or for a Retry-After holds up no other.
 */
export class OutboxSender {
  private readonly clock: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** Stopped: no new pass starts, and a pass under way hands back what it has not begun to post. */
  private stopping = false;
  /** What stopped the last pass (logged once, not at every poll, while it lasts). */
  private failing: string | undefined;

  constructor(private readonly options: OutboxSenderOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  start(): void {
    this.stopping = false;
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.options.pollMs ?? 1000);
    this.timer.unref();
    this.kick();
  }

  /**
   * Stops posting and waits for the pass under way: it finishes the notices it is posting and
   * hands back (unclaims) the ones it has not begun, so that another process, or this one
   * restarted, posts them at once rather than after the claim's lease runs out.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Looks for due notices now (coalesced with a pass under way). */
  kick(): Promise<void> {
    if (this.stopping) return this.running ?? Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again);
        if (this.failing) this.options.log?.('outbox: working again');
        this.failing = undefined;
      } catch (e) {
        const reason = briefly(e);
        if (reason !== this.failing)
          this.options.log?.(`outbox: ${reason}; trying again every few seconds until it works`);
        this.failing = reason;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Posts everything due now, until nothing due is left or a pass posts nothing more. */
  async flush(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const before = await this.options.outbox.pending(this.clock());
      if (before === 0) return;
      await this.kick();
      if ((await this.options.outbox.pending(this.clock())) >= before) return;
    }
  }

  /** One pass over the due notices; returns how many were posted. */
  async pass(): Promise<number> {
    const { outbox } = this.options;
    const lease = this.options.leaseMs ?? 60_000;
    let posted = 0;
    for (;;) {
      const claimed = await outbox.claimDue(this.clock(), BATCH, lease);
      if (!claimed.length || this.stopping) {
        for (const notice of claimed) await outbox.release(notice.key, notice.version);
        return posted;
      }
      const blocked = new Set<string>();
      const release = async (notices: NoticeRecord[]) => {
        for (const notice of notices) await outbox.release(notice.key, notice.version);
      };
      await inLanes([...byConversation(claimed).values()], this.options.lanes ?? 8, async (notices) => {
        for (const [i, notice] of notices.entries()) {
          if (this.stopping) return release(notices.slice(i));
          if (await outbox.waitsBehind(notice)) {
            blocked.add(notice.conversationKey);
            return release(notices.slice(i));
          }
          if (!(await this.send(notice))) {
            blocked.add(notice.conversationKey);
            return release(notices.slice(i + 1));
          }
          posted++;
        }
      });
      if (blocked.size) return posted;
    }
  }

  private async send(notice: NoticeRecord): Promise<boolean> {
    const { outbox, notifier } = this.options;
    try {
      const replies = await this.options.render(notice);
      for (let part = notice.partsSent; part < replies.length; part++) {
        const reply = replies[part];
        if (reply)
          await notifier.post(notice.conversationKey, {
            ...reply,
            onceKey: `${notice.key}#${notice.version}#${part}`,
          });
        await outbox.markPartsSent(notice.key, notice.version, part + 1);
      }
      await outbox.markSent(notice.key, notice.version, this.clock());
      return true;
    } catch (e) {
      const now = this.clock();
      const attempt = notice.attempts + 1;
      const waited = retryAfterMs(e);
      const delay = Math.max(
        waited ?? 0,
        backoffDelay(attempt, this.options.backoffMs ?? 1000, this.options.maxBackoffMs ?? 300_000),
      );
      const giveUp = now.getTime() - notice.createdAt.getTime() > (this.options.giveUpAfterMs ?? 86_400_000);
      const message = briefly(e);
      this.options.log?.(
        giveUp
          ? `outbox: gave up posting ${notice.key} to ${notice.conversationKey} after ${attempt} attempts: ${message}`
          : `outbox: could not post ${notice.key} (attempt ${attempt}: ${message}); trying again in ${Math.round(delay / 1000)} s`,
      );
      try {
        await outbox.markFailed(notice.key, notice.version, message, new Date(now.getTime() + delay), giveUp);
      } catch (stored) {
        // The database is away too: the lease runs out and the notice is claimed again later.
        this.options.log?.(`outbox: could not record the failure of ${notice.key}: ${briefly(stored)}`);
      }
      return false;
    }
  }
}
