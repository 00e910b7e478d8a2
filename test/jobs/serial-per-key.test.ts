import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serialPerKey } from '../../jobs/serial-per-key';

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
});
