import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Acknowledgements first: Discord drops an interaction that is not acknowledged within 3 seconds,
 * while answering one may take CPU time (the cost model, rendering) that would hold back the
 * acknowledgements of interactions that arrived at the same moment. Slow work waits until the
 * acknowledgements already under way, and those of interactions already received, have been sent.
 */
export class Acknowledgements {
  private readonly pending = new Set<Promise<unknown>>();

  /** Registers an acknowledgement (deferReply, deferUpdate) and returns it. */
  track<T>(ack: Promise<T>): Promise<T> {
    this.pending.add(ack);
    const forget = () => this.pending.delete(ack);
    ack.then(forget, forget);
    return ack;
  }

  /** Resolves once the acknowledgements started so far (and any the next turn of I/O starts) are done. */
  async sent(): Promise<void> {
    await nextTurn();
    await Promise.allSettled([...this.pending]);
  }
}
