/**
 * Work that continues after Slack got its acknowledgement (engine, database, Web API calls). It runs
 * a few at a time, each started from a fresh event-loop turn, so a burst of requests is acknowledged
 * first (Slack allows 3 seconds) instead of waiting behind the handling of the requests before it.
 * Tracked, so that stopping the adapter (and tests) can wait until every started handler finished.
 */
export class InFlight {
  private readonly running = new Set<Promise<void>>();
  private readonly waiting: (() => void)[] = [];
  private active = 0;

  constructor(private readonly concurrency = 4) {}

  /**
   * Runs `work` when a slot is free (`urgent`: at once, for what must reach Slack within the
   * trigger's 3 seconds, like opening a form); the returned promise never rejects.
   */
  track(work: () => Promise<void>, onError: (e: unknown) => void, urgent = false): Promise<void> {
    const run = urgent ? work() : this.inSlot(work);
    const task = run.catch(onError).finally(() => this.running.delete(task));
    this.running.add(task);
    return task;
  }

  async settled(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  private async inSlot(work: () => Promise<void>): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      await work();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}
