import type { NoticeInput, NoticeRecord, OutboxRepository } from '../../src/persistence/index.js';

/**
 * The outbox's contract kept in memory, for unit tests whose other repositories are in memory too
 * (the database-backed outbox has its own suite on both backends).
 */
export class MemoryOutbox
  implements
    Pick<
      OutboxRepository,
      | 'enqueue'
      | 'replace'
      | 'claimDue'
      | 'markPartsSent'
      | 'markSent'
      | 'markFailed'
      | 'release'
      | 'pending'
      | 'waitsBehind'
    >
{
  readonly notices = new Map<string, NoticeRecord & { leaseUntil: number }>();

  private add(n: NoticeInput, now = new Date()): NoticeRecord & { leaseUntil: number } {
    return {
      ...n,
      jobId: n.jobId ?? null,
      state: 'pending',
      version: 0,
      partsSent: 0,
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      sentAt: null,
      lastError: null,
      leaseUntil: 0,
    };
  }

  async enqueue(notices: readonly NoticeInput[]): Promise<number> {
    let added = 0;
    for (const n of notices)
      if (!this.notices.has(n.key)) {
        this.notices.set(n.key, this.add(n));
        added++;
      }
    return added;
  }

  async replace(notice: NoticeInput, now: Date): Promise<void> {
    const old = this.notices.get(notice.key);
    this.notices.set(notice.key, { ...this.add(notice, now), version: (old?.version ?? -1) + 1 });
  }

  async claimDue(now: Date, limit: number, leaseMs: number): Promise<NoticeRecord[]> {
    const due = [...this.notices.values()]
      .filter((n) => n.state === 'pending' && n.nextAttemptAt <= now && n.leaseUntil < now.getTime())
      .slice(0, limit);
    for (const n of due) n.leaseUntil = now.getTime() + leaseMs;
    return due.map((n) => ({ ...n }));
  }

  async waitsBehind(notice: Pick<NoticeRecord, 'key' | 'conversationKey' | 'createdAt'>): Promise<boolean> {
    return [...this.notices.values()].some(
      (n) =>
        n.conversationKey === notice.conversationKey &&
        n.state === 'pending' &&
        (n.createdAt < notice.createdAt || (+n.createdAt === +notice.createdAt && n.key < notice.key)),
    );
  }

  async markPartsSent(key: string, version: number, parts: number): Promise<void> {
    const n = this.notices.get(key);
    if (n?.version === version) n.partsSent = parts;
  }

  async markSent(key: string, version: number, now: Date): Promise<void> {
    const n = this.notices.get(key);
    if (!n) return;
    n.leaseUntil = 0;
    if (n.version === version) Object.assign(n, { state: 'sent', sentAt: now });
  }

  async markFailed(key: string, version: number, error: string, retryAt: Date, abandon = false) {
    const n = this.notices.get(key);
    if (n?.version !== version) return;
    Object.assign(n, {
      attempts: n.attempts + 1,
      lastError: error,
      nextAttemptAt: retryAt,
      leaseUntil: 0,
      ...(abandon ? { state: 'abandoned' } : {}),
    });
  }

  async release(key: string): Promise<void> {
    const n = this.notices.get(key);
    if (n) n.leaseUntil = 0;
  }

  async pending(dueBy?: Date): Promise<number> {
    return [...this.notices.values()].filter(
      (n) => n.state === 'pending' && (!dueBy || n.nextAttemptAt <= dueBy),
    ).length;
  }
}
