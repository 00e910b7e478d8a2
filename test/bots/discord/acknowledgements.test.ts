import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Acknowledgements } from '../../../bots/discord/acknowledgements';

/** A deferral Discord has not answered yet, and the calls that attached to it. */
class Deferral<T = void> extends Promise<T> {
  static attached = 0;
  // biome-ignore lint/suspicious/noThenProperty: counts what attaches to the promise
  override then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    Deferral.attached += 1;
    return super.then(onFulfilled, onRejected);
  }
  static override get [Symbol.species]() {
    return Promise;
  }
}

function deferral(): { ack: Deferral; answer: () => void; fail: () => void } {
  let answer = () => {};
  let fail = () => {};
  const ack = new Deferral<void>((resolve, reject) => {
    answer = () => resolve();
    fail = () => reject(new Error('Unknown interaction'));
  });
  return { ack, answer, fail };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('acknowledgements first', () => {
  it('waits for the acknowledgements tracked before it, not for later ones', async () => {
    const acks = new Acknowledgements();
    const first = deferral();
    const second = deferral();
    acks.track(first.ack, 'slash_command');
    acks.track(second.ack, 'slash_command');
    let waited = false;
    const waiting = acks.sent().then(() => {
      waited = true;
    });
    await turn();
    await turn();
    const later = deferral();
    acks.track(later.ack, 'slash_command');
    first.answer();
    await turn();
    assert.equal(waited, false, 'went on with the second acknowledgement still pending');
    second.fail();
    await second.ack.catch(() => {});
    await waiting;
    assert.equal(waited, true);
    // The later one is still pending: a waiter that came after it waits for it.
    let afterLater = false;
    const next = acks.sent().then(() => {
      afterLater = true;
    });
    await turn();
    await turn();
    assert.equal(afterLater, false);
    later.answer();
    await next;
  });

  it('goes on at once when nothing is pending, and reports how long each took', async () => {
    const seen: string[] = [];
    const acks = new Acknowledgements((kind, seconds) => seen.push(`${kind} ${seconds >= 0}`));
    await acks.sent();
    const one = deferral();
    acks.track(one.ack, 'component');
    one.answer();
    await acks.sent();
    assert.deepEqual(seen, ['component true']);
  });

  it('stays linear in a burst: 2,000 interactions, each waiting for the deferrals before it', async () => {
    const acks = new Acknowledgements();
    const burst = Array.from({ length: 2000 }, deferral);
    Deferral.attached = 0;
    const waits: Promise<void>[] = [];
    for (const d of burst) {
      acks.track(d.ack, 'slash_command');
      waits.push(acks.sent());
    }
    await turn();
    for (const d of burst) d.answer();
    await Promise.all(waits);
    // One reaction per deferral to learn it settled, not one per deferral per waiter (4 million).
    assert.ok(Deferral.attached <= 2 * burst.length, `${Deferral.attached} reactions attached`);
  });
});
