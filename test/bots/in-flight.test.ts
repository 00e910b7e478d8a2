import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InFlight } from '../../bots/in-flight';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const noError = (e: unknown) => assert.fail(String(e));

describe('work after an acknowledgement', () => {
  it('waits until requests pause: a burst is acknowledged before any of it is handled', async () => {
    const inFlight = new InFlight({ quietMs: 150, maxDeferMs: 10_000 });
    const started: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < 5; i++)
      void inFlight.track(async () => {
        started.push(performance.now() - t0);
      }, noError);
    await sleep(50);
    const last = performance.now() - t0;
    void inFlight.track(async () => {
      started.push(performance.now() - t0);
    }, noError);
    await inFlight.settled();
    assert.equal(started.length, 6);
    for (const at of started)
      assert.ok(at >= last + 150, `started ${at} ms, the last request came at ${last} ms`);
  });

  it('under a steady stream of requests starts queued work once it has waited maxDeferMs', async () => {
    const inFlight = new InFlight({ quietMs: 100, maxDeferMs: 300 });
    let firstStart: number | undefined;
    const t0 = performance.now();
    void inFlight.track(async () => {
      firstStart ??= performance.now() - t0;
    }, noError);
    // A request every 20 ms for 3 s: never 100 ms without one.
    while (performance.now() - t0 < 3000) {
      await sleep(20);
      void inFlight.track(async () => {}, noError);
    }
    const streamEnded = performance.now() - t0;
    await inFlight.settled();
    assert.ok(firstStart !== undefined);
    assert.ok(firstStart >= 300, `started at ${firstStart} ms, before it was due`);
    assert.ok(
      firstStart < streamEnded,
      `started at ${firstStart} ms, after the stream ended at ${streamEnded} ms`,
    );
  });

  it('runs at most `concurrency` at once, and urgent work skips the queue', async () => {
    const inFlight = new InFlight({ concurrency: 2, quietMs: 0 });
    let running = 0;
    let most = 0;
    const order: string[] = [];
    for (let i = 0; i < 6; i++)
      void inFlight.track(async () => {
        running += 1;
        most = Math.max(most, running);
        await sleep(20);
        running -= 1;
        order.push(`queued ${i}`);
      }, noError);
    void inFlight.track(
      async () => {
        order.push('urgent');
      },
      noError,
      true,
    );
    await inFlight.settled();
    assert.equal(most, 2);
    assert.equal(order[0], 'urgent');
    assert.equal(order.length, 7);
  });

  it('reports a failure to onError and keeps going', async () => {
    const inFlight = new InFlight({ quietMs: 0 });
    const errors: string[] = [];
    let ran = false;
    void inFlight.track(
      async () => {
        throw new Error('boom');
      },
      (e) => errors.push((e as Error).message),
    );
    void inFlight.track(async () => {
      ran = true;
    }, noError);
    await inFlight.settled();
    assert.deepEqual(errors, ['boom']);
    assert.ok(ran);
  });

  it('keeps one timer for all the work it holds back, however much waits', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const inFlight = new InFlight({
      concurrency: Number.POSITIVE_INFINITY,
      quietMs: 200,
      maxDeferMs: 10_000,
    });
    let ran = 0;
    for (let i = 0; i < 2000; i++)
      void inFlight.track(async () => {
        ran += 1;
      }, noError);
    await sleep(50);
    // Held back (no pause yet): one look at the queue is scheduled, not one timer per piece of work.
    assert.equal(ran, 0);
    assert.ok(timers() - before <= 2, `${timers() - before} timers for 2,000 queued pieces of work`);
    await inFlight.settled();
    assert.equal(ran, 2000);
  });
});
