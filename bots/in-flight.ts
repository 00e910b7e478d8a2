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

interface Queued {
  queuedAt: number;
  start: () => void;
}

export class InFlight {
  private readonly running = new Set<Promise<void>>();
  /** Work waiting for its turn, oldest first (so the head is the first to fall due). */
  private readonly queue: Queued[] = [];
  private active = 0;
  private lastArrival = Number.NEGATIVE_INFINITY;
  /** One look at the queue scheduled for all queued work, however much waits: next turn, or timed. */
  private soon: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;
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
    await new Promise<void>((start) => {
      this.queue.push({ queuedAt, start });
      this.wake(0);
    });
    try {
      await work();
    } finally {
      this.active -= 1;
      this.wake(0);
    }
  }

  /** Looks at the queue on the next turn (`ms` 0), or in `ms` unless a look is already scheduled. */
  private wake(ms: number): void {
    if (this.soon) return;
    if (ms <= 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.soon = setImmediate(() => {
        this.soon = undefined;
        this.pump();
      });
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, ms);
    }
  }

  /**
   * Starts queued work while slots are free and it may start: once no request arrived for
   * `quietMs`, or once the oldest has waited `maxDeferMs`. Otherwise looks again when either is due.
   */
  private pump(): void {
    while (this.queue.length && this.active < this.concurrency) {
      const head = this.queue[0] as Queued;
      const now = performance.now();
      const quietIn = this.lastArrival + this.quietMs - now;
      const dueIn = head.queuedAt + this.maxDeferMs - now;
      if (quietIn > 0 && dueIn > 0) {
        this.wake(Math.ceil(Math.min(quietIn, dueIn)));
        return;
      }
      this.queue.shift();
      this.active += 1;
      head.start();
    }
  }
}
