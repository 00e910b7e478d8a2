import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AckKind } from '../chat-metrics';

/**
 * Acknowledgements first: Discord drops an interaction that is not acknowledged within 3 seconds,
 * while answering one may take CPU time (the cost model, rendering) that would hold back the
 * acknowledgements of interactions that arrived at the same moment. Slow work waits until the
 * acknowledgements already under way, and those of interactions already received, have been sent.
 */
export class Acknowledgements {
  private readonly pending = new Set<Promise<unknown>>();

  /** `onAcknowledged`: told how long each acknowledgement took to be accepted, from when it was tracked. */
  constructor(private readonly onAcknowledged?: (kind: AckKind, seconds: number) => void) {}

  /** Registers an acknowledgement (deferReply, deferUpdate) and returns it. */
  track<T>(ack: Promise<T>, kind: AckKind = 'component'): Promise<T> {
    const started = performance.now();
    this.pending.add(ack);
    const forget = () => this.pending.delete(ack);
    ack.then(() => {
      forget();
      this.onAcknowledged?.(kind, (performance.now() - started) / 1000);
    }, forget);
    return ack;
  }

  /** Resolves once the acknowledgements started so far (and any the next turn of I/O starts) are done. */
  async sent(): Promise<void> {
    await nextTurn();
    await Promise.allSettled([...this.pending]);
  }
}
