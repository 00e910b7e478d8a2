import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chooseLearningRate } from '../../src/analysis/arms';
import { type Harness, jobIdFrom, startHarness } from '../support/harness';

/**
 * Staged comparisons with real parts (Redis, BullMQ flows, the Python trainer on the tiny model):
 * the first stage's flow ends, the core decides the next stage from the finished runs, and the
 * next flow is dispatched into the same job.
 */
describe('staged comparisons end to end (real Redis, real trainer, tiny model)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('sweeps on seed 0, then replicates the chosen rate per method on seed 1, paired across methods', async () => {
    const queued = await h.send('/faceoff compare task=customer_service model=tiny max_steps=3 seeds=2');
    const id = jobIdFrom(queued);
    assert.match(
      queued[0]?.text ?? '',
      /8 runs of 3 steps, in two stages: first the learning-rate sweep .* on seed 0 only \(1 task x 2 methods x grid = 6 runs\); .* replicated on 1 seed more \(2 runs\)/,
    );
    const early = await h.send(`/faceoff status ${id}`);
    assert.match(
      early[0]?.text ?? '',
      /Staged \(learning-rate sweep on seed 0.*\): 6 of up to 8 planned runs added/,
    );
    await h.jobs.idle();
    const job = await h.repositories.jobs.getById(id);
    assert.ok(job);
    assert.equal(job.state, 'completed');
    assert.equal(job.runs.length, 8);
    assert.ok(job.runs.every((r) => r.state === 'completed'));
    const runs = job.runs;
    for (const method of ['lora', 'full']) {
      const sweep = runs.filter((r) => r.method === method && r.seed === 0);
      const replica = runs.filter((r) => r.method === method && r.seed === 1);
      assert.equal(sweep.length, 3);
      assert.equal(replica.length, 1);
      assert.equal(replica[0]?.learningRate, chooseLearningRate(sweep), `${method} replicates its best rate`);
    }
    const texts = h.notifier.texts();
    const stageNotes = texts.filter((t) =>
      t.startsWith(`*Comparison ${id}*: Learning-rate sweep on seed 0 finished`),
    );
    assert.equal(stageNotes.length, 1, 'the stage outcome is posted once');
    assert.match(stageNotes[0] ?? '', /Next: the chosen learning rates on seeds 1 \(2 runs\)/);
    assert.equal(texts.filter((t) => t.startsWith(`Comparison ${id} finished`)).length, 1);
    const results = await h.send(`/faceoff results ${id}`);
    const table = results[0]?.tables?.[0];
    assert.ok(table);
    assert.equal(table.rows.length, 2);
    const status = await h.send(`/faceoff status ${id}`);
    assert.match(status[0]?.text ?? '', /8 done, .* of 8\nStaged .*: 8 of up to 8 planned runs added\./);
  });
});
