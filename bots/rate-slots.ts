/**
 * Slots by the generic cell rate algorithm: each key keeps the time its next call is due; a call
 * may go `burst - 1` intervals ahead of it. `reserve` books the earliest slot and says how long to
 * wait for it.
 */
export class RateSlots {
  private readonly due = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    /** Keys remembered at most (the longest idle forgotten first: a forgotten key has its full burst). */
    private readonly limit = 50_000,
  ) {}

  reserve(key: string, limit: { perSecond: number; burst: number }): number {
    const interval = 1000 / limit.perSecond;
    const now = this.now();
    const due = Math.max(this.due.get(key) ?? now, now);
    const at = Math.max(now, due - (limit.burst - 1) * interval);
    this.due.delete(key);
    this.due.set(key, due + interval);
    while (this.due.size > this.limit) {
      const oldest = this.due.keys().next().value;
      if (oldest === undefined) break;
      this.due.delete(oldest);
    }
    return at - now;
  }
}
