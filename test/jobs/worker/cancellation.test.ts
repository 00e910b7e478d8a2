import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { CancellationRegistry, parseCancelMessage } from '../../../jobs/cancellation';
import { deleteKeys, testConnection, uniquePrefix, waitFor } from '../../fixtures/trainers/fake-runs';

const prefix = uniquePrefix('cancel');
after(() => deleteKeys(prefix));

describe('CancellationRegistry', () => {
  it('remembers cancelled ids in an expiring set and tells subscribers', async () => {
    const controlPlane = new CancellationRegistry({ connection: testConnection(), prefix, ttlSeconds: 60 });
    const worker = new CancellationRegistry({ connection: testConnection(), prefix });
    const received: string[][] = [];
    try {
      const unsubscribe = await worker.subscribe((ids) => received.push(ids));
      assert.equal(await worker.isCancelled('run-1'), false);
      await controlPlane.cancel(['run-1', 'run-2', 'run-1', '']);
      assert.equal(await worker.isCancelled('run-1'), true);
      assert.equal(await worker.isCancelled('run-2'), true);
      assert.equal(await worker.isCancelled('run-3'), false);
      await waitFor('the published cancellation', () => received.length > 0, 3000);
      assert.deepEqual(received, [['run-1', 'run-2']]);

      const client = new Redis(testConnection());
      const ttl = await client.ttl(`${prefix}:faceoff:cancelled`);
      client.disconnect();
      assert.ok(ttl > 0 && ttl <= 60, `ttl ${ttl}`);

      unsubscribe();
      await controlPlane.cancel(['run-4']);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(received.length, 1, 'no calls after unsubscribing');
      await controlPlane.cancel([]);
    } finally {
      await controlPlane.close();
      await worker.close();
    }
  });

  it('ignores malformed messages on the channel', () => {
    assert.deepEqual(parseCancelMessage('{"jobIds":["a"]}'), ['a']);
    assert.equal(parseCancelMessage('cancel a'), null);
    assert.equal(parseCancelMessage('{"jobIds":[1]}'), null);
  });

  it('closes cleanly even when never used', async () => {
    await new CancellationRegistry({ connection: testConnection(), prefix }).close();
  });
});
