import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeSlots, detectSlots, parseGpuSlots, SlotPool } from '../../../jobs/worker/slots';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'faceoff-slots-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fakeNvidiaSmi(body: string): Promise<string> {
  const file = path.join(dir, `nvidia-smi-${Math.random().toString(36).slice(2, 8)}`);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

describe('detectSlots', () => {
  it('takes FACEOFF_GPU_SLOTS as a count or a list of indexes; 0 means CPU', async () => {
    assert.deepEqual(await detectSlots({ env: { FACEOFF_GPU_SLOTS: '2' } }), { kind: 'gpu', gpus: [0, 1] });
    assert.deepEqual(await detectSlots({ env: { FACEOFF_GPU_SLOTS: '1, 3' } }), {
      kind: 'gpu',
      gpus: [1, 3],
    });
    assert.deepEqual(await detectSlots({ env: { FACEOFF_GPU_SLOTS: '0' } }), { kind: 'cpu', count: 1 });
    assert.throws(() => parseGpuSlots('lots'), /FACEOFF_GPU_SLOTS must be a GPU count/);
  });

  it('counts the GPUs nvidia-smi -L lists', async () => {
    const nvidiaSmi = await fakeNvidiaSmi(
      'echo "GPU 0: NVIDIA H200 (UUID: GPU-1)"; echo "GPU 1: NVIDIA H200 (UUID: GPU-2)"; echo "  MIG 1g.18gb Device 0"',
    );
    assert.deepEqual(await detectSlots({ env: {}, nvidiaSmi }), { kind: 'gpu', gpus: [0, 1] });
  });

  it('falls back to one CPU slot when nvidia-smi is absent, fails or hangs', async () => {
    assert.deepEqual(await detectSlots({ env: {}, nvidiaSmi: path.join(dir, 'absent') }), {
      kind: 'cpu',
      count: 1,
    });
    const failing = await fakeNvidiaSmi('echo "NVIDIA-SMI has failed" >&2; exit 9');
    assert.deepEqual(await detectSlots({ env: {}, nvidiaSmi: failing }), { kind: 'cpu', count: 1 });
    const hanging = await fakeNvidiaSmi('sleep 5');
    const started = Date.now();
    assert.deepEqual(await detectSlots({ env: {}, nvidiaSmi: hanging, timeoutMs: 200 }), {
      kind: 'cpu',
      count: 1,
    });
    assert.ok(Date.now() - started < 2000);
    assert.equal(describeSlots({ kind: 'cpu', count: 1 }), '1 CPU slot (no GPU found)');
  });
});

describe('SlotPool', () => {
  it('gives each run its GPUs through CUDA_VISIBLE_DEVICES and returns them on release', async () => {
    const pool = new SlotPool({ kind: 'gpu', gpus: [0, 1, 2] });
    assert.equal(pool.slotsFor(undefined), 1);
    assert.equal(pool.slotsFor(0), 1);
    assert.equal(pool.slotsFor(2), 2);
    const pair = await pool.acquire(2);
    const single = await pool.acquire(1);
    assert.deepEqual(pair.env, { CUDA_VISIBLE_DEVICES: '0,1' });
    assert.deepEqual(single.env, { CUDA_VISIBLE_DEVICES: '2' });
    assert.equal(pool.available, 0);
    pair.release();
    pair.release();
    assert.equal(pool.available, 2);
  });

  it('makes runs wait their turn, first come first served, and lets a waiting run be aborted', async () => {
    const pool = new SlotPool({ kind: 'gpu', gpus: [0, 1] });
    const first = await pool.acquire(1);
    const order: string[] = [];
    const big = pool.acquire(2).then((lease) => {
      order.push('big');
      return lease;
    });
    const small = pool.acquire(1).then((lease) => {
      order.push('small');
      return lease;
    });
    const controller = new AbortController();
    const aborted = pool.acquire(1, controller.signal);
    controller.abort(new Error('stop waiting'));
    await assert.rejects(aborted, /stop waiting/);
    first.release();
    (await big).release();
    (await small).release();
    assert.deepEqual(order, ['big', 'small']);
    assert.equal(pool.available, 2);
  });

  it('runs on CPU one at a time with no GPU visible, and refuses runs that can never fit', async () => {
    const pool = new SlotPool({ kind: 'cpu', count: 1 });
    assert.equal(pool.slotsFor(4), 1);
    const lease = await pool.acquire(1);
    assert.deepEqual(lease.env, { CUDA_VISIBLE_DEVICES: '' });
    lease.release();
    await assert.rejects(
      new SlotPool({ kind: 'gpu', gpus: [0] }).acquire(2),
      /needs 2 GPUs but this worker has 1/,
    );
  });
});
