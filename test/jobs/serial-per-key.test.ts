import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchPerKey, serialPerKey } from '../../jobs/serial-per-key';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('serialPerKey', () => {
  it("runs one key's tasks in the order given, even when the first is slower", async () => {
    const run = serialPerKey();
    const order: string[] = [];
    await Promise.all([
      run('job-1', async () => {
        await sleep(40);
        order.push('stalled: back to the queue');
      }),
      run('job-1', async () => {
        order.push('active on another worker');
      }),
    ]);
    assert.deepEqual(order, ['stalled: back to the queue', 'active on another worker']);
  });

  it('runs different keys side by side, and a failed task does not stop the next', async () => {
    const run = serialPerKey();
    const order: string[] = [];
    const slow = run('a', async () => {
      await sleep(40);
      order.push('a');
    });
    await run('b', async () => {
      order.push('b');
    });
    await slow;
    assert.deepEqual(order, ['b', 'a']);
    await assert.rejects(
      run('a', async () => {
        throw new Error('database down');
      }),
    );
    let ran = false;
    await run('a', async () => {
      ran = true;
    });
    assert.ok(ran);
  });

  it('batches the items of a key waiting their turn, never across another task of the key', async () => {
    const run = serialPerKey();
    const handled: string[] = [];
    const batches = batchPerKey<string>(run, async (key, items) => {
      handled.push(`${key}: ${items.join(' ')}`);
    });
    const busy = run('job-1', async () => {
      await sleep(30);
    });
    batches.add('job-1', 'step 1');
    batches.add('job-1', 'step 2');
    batches.add('job-2', 'step 1');
    batches.close('job-1');
    const completed = run('job-1', async () => {
      handled.push('job-1: completed');
    });
    batches.add('job-1', 'step 3');
    const last = batches.add('job-1', 'step 4');
    await Promise.all([busy, completed, last]);
    assert.deepEqual(handled, [
      'job-2: step 1',
      'job-1: step 1 step 2',
      'job-1: completed',
      'job-1: step 3 step 4',
    ]);
    // Once a batch has started, a new item starts the next one.
    const slow = batchPerKey<number>(run, async (_key, items) => {
      handled.push(items.join(','));
      await sleep(20);
    });
    const first = slow.add('k', 1);
    await sleep(5);
    slow.add('k', 2);
    (await slow.add('k', 3)) ?? first;
    await sleep(60);
    assert.deepEqual(handled.slice(-2), ['1', '2,3']);
  });
});
