import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AckKind } from '../chat-metrics';

/**
 * Acknowledgements first: Discord drops an interaction that is not acknowledged within 3 seconds,
 * while answering one may take CPU time (the cost model, rendering) that would hold back the
 * acknowledgements of interactions that arrived at the same moment. Slow work waits until the
 * acknowledgements already under way, and those of interactions already received, have been sent.
 *
 * Each acknowledgement gets a number in the order it was tracked; a waiter waits until every
 * number up to the last one tracked when it asked has settled. Both cost O(1) each, so a burst of
 * thousands of interactions, each waiting for the acknowledgements before it, stays linear.
 */
export class Acknowledgements {
  private tracked = 0;
  /** Numbers of the acknowledgements not yet settled, in the order they were tracked. */
  private readonly pending = new Set<number>();
  /** Waiting for every acknowledgement up to `upTo`, in increasing order of `upTo`. */
  private readonly waiters: { upTo: number; resolve: () => void }[] = [];
  private firstWaiter = 0;

  /** `onAcknowledged`: told how long each acknowledgement took to be accepted, from when it was tracked. */
  constructor(private readonly onAcknowledged?: (kind: AckKind, seconds: number) => void) {}

  /** Registers an acknowledgement (deferReply, deferUpdate) and returns it. */
  track<T>(ack: Promise<T>, kind: AckKind = 'component'): Promise<T> {
    const started = performance.now();
    const number = ++this.tracked;
    this.pending.add(number);
    ack.then(
      () => {
        this.settled(number);
        this.onAcknowledged?.(kind, (performance.now() - started) / 1000);
      },
      () => this.settled(number),
    );
    return ack;
  }

  /** Resolves once the acknowledgements started so far (and any the next turn of I/O starts) are done. */
  async sent(): Promise<void> {
    await nextTurn();
    const upTo = this.tracked;
    if (this.oldestPending() > upTo) return;
    await new Promise<void>((resolve) => this.waiters.push({ upTo, resolve }));
  }

  private oldestPending(): number {
    for (const number of this.pending) return number;
    return Number.POSITIVE_INFINITY;
  }

  private settled(number: number): void {
    this.pending.delete(number);
    const oldest = this.oldestPending();
    while (this.firstWaiter < this.waiters.length) {
      const waiter = this.waiters[this.firstWaiter] as { upTo: number; resolve: () => void };
      if (waiter.upTo >= oldest) break;
      this.firstWaiter += 1;
      waiter.resolve();
    }
    if (this.firstWaiter === this.waiters.length) {
      this.waiters.length = 0;
      this.firstWaiter = 0;
    }
  }
}
