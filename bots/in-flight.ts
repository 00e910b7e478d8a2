/**
 * Work that continues after the chat platform got its acknowledgement (engine, database, API calls):
 * Slack and Discord both drop a request not acknowledged within 3 seconds. It runs a few at a time,
 * and acknowledgements come first: while requests keep arriving (one less than `quietMs` ago),
 * queued work waits, up to `maxDeferMs`, so a burst of requests is acknowledged before the event
 * loop spends itself on handling them. Under a steady stream work still starts once it has waited
 * `maxDeferMs`. Tracked, so that stopping the adapter (and tests) can wait until every started
 * handler finished.
 */
export interface InFlightOptions {
  /** Handlers running at once. */
  concurrency?: number;
  /** Queued work starts once no request has arrived for this long... */
  quietMs?: number;
  /** ...or once it has waited this long. */
  maxDeferMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class InFlight {
  private readonly running = new Set<Promise<void>>();
  private readonly waiting: (() => void)[] = [];
  private active = 0;
  private lastArrival = Number.NEGATIVE_INFINITY;
  private readonly concurrency: number;
  private readonly quietMs: number;
  private readonly maxDeferMs: number;

  constructor({ concurrency = 4, quietMs = 20, maxDeferMs = 1000 }: InFlightOptions = {}) {
    this.concurrency = concurrency;
    this.quietMs = quietMs;
    this.maxDeferMs = maxDeferMs;
  }

  /** Notes a request that arrived (before it is acknowledged): queued work waits for the pause. */
  arrived(): void {
    this.lastArrival = performance.now();
  }

  /**
   * Runs `work` when a slot is free and requests have paused (`urgent`: at once, for what must reach
   * Slack within the trigger's 3 seconds, like opening a form); the returned promise never rejects.
   */
  track(work: () => Promise<void>, onError: (e: unknown) => void, urgent = false): Promise<void> {
    this.lastArrival = performance.now();
    const run = urgent ? work() : this.inSlot(work, this.lastArrival);
    const task = run.catch(onError).finally(() => this.running.delete(task));
    this.running.add(task);
    return task;
  }

  async settled(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  private async inSlot(work: () => Promise<void>, queuedAt: number): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await this.quietOrDue(queuedAt);
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      await work();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }

  /** Resolves once no request arrived for `quietMs`, or `maxDeferMs` after `queuedAt`. */
  private async quietOrDue(queuedAt: number): Promise<void> {
    for (;;) {
      const now = performance.now();
      const quietIn = this.lastArrival + this.quietMs - now;
      const dueIn = queuedAt + this.maxDeferMs - now;
      if (quietIn <= 0 || dueIn <= 0) return;
      await sleep(Math.ceil(Math.min(quietIn, dueIn)));
    }
  }
}
