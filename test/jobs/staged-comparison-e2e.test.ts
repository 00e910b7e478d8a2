import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chooseLearningRate } from '../../src/analysis/arms';
import { summaryOf } from '../../src/analysis/run-summary';
import { type ComparisonPlan, extensionRate } from '../../src/comparison/plan';
import { type Harness, jobIdFrom, startHarness } from '../support/harness';
import { LEAN_TRAINER_DEFAULTS } from '../support/test-services';

/**
 * Staged comparisons with real parts (Redis, BullMQ flows, the Python trainer on the tiny model):
 * the first stage's flow ends, the core decides the next stage from the finished runs, and the
 * next flow is dispatched into the same job.
 */
describe('staged comparisons end to end (real Redis, real trainer, tiny model)', () => {
  let h: Harness;
  before(async () => {
    // The sweep as a real model's plan runs it: validation loss only, the test set at the point chosen.
    h = await startHarness({ trainerDefaults: LEAN_TRAINER_DEFAULTS, sweepTest: 'chosen' });
  });
  after(async () => {
    await h?.close();
  });

  it('sweeps on seed 0 on the validation split, widens an edge once, then trains the chosen rate per method with the test set on seeds 0 and 1', async () => {
    const queued = await h.send('/faceoff compare task=customer_service model=tiny max_steps=3 seeds=2');
    const id = jobIdFrom(queued);
    assert.match(
      queued[0]?.text ?? '',
      /Up to 12 runs of 3 steps, in stages: first the learning-rate sweep .* on seed 0 only \(1 task x 2 methods x grid = 6 runs, validation loss only: the test set is evaluated at the point chosen\); .* one more rate beyond it, once \(up to 2 runs\); .* trained again on seed 0 with the test set and replicated on 1 seed more \(4 runs\)/,
    );
    const early = await h.send(`/faceoff status ${id}`);
    assert.match(
      early[0]?.text ?? '',
      /Staged \(learning-rate sweep on seed 0.*\): 6 of up to 12 planned runs added/,
    );
    await h.jobs.idle();
    const job = await h.repositories.jobs.getById(id);
    assert.ok(job);
    const errors = JSON.stringify(job.runs.flatMap((r) => (r.error ? [r.error] : [])));
    assert.equal(job.state, 'completed', errors);
    assert.ok(job.runs.every((r) => r.state === 'completed'));
    const runs = job.runs;
    const plan = job.plan as ComparisonPlan;
    let widened = 0;
    for (const method of ['lora', 'full'] as const) {
      const grid = plan.learningRates[method] ?? [];
      const seed0 = runs.filter((r) => r.method === method && r.seed === 0 && !r.testSet);
      const onGrid = seed0.filter((r) => grid.includes(r.learningRate));
      for (const r of seed0) {
        const s = summaryOf(r);
        assert.equal(
          s?.test_evaluated,
          false,
          `${method} sweep point ${r.learningRate} skipped the test set`,
        );
        assert.deepEqual(s?.metrics, {});
      }
      assert.equal(onGrid.length, 3);
      // Measured, not assumed: the grid widens exactly when the best of its 3 rates is on its edge.
      const beyond = extensionRate(grid, chooseLearningRate(onGrid) as number);
      assert.deepEqual(
        seed0.filter((r) => !grid.includes(r.learningRate)).map((r) => r.learningRate),
        beyond === undefined ? [] : [beyond],
        `${method} widens its grid once when its best rate is on the edge`,
      );
      if (beyond !== undefined) widened += 1;
      const chosen = chooseLearningRate(seed0);
      const replica = runs.filter((r) => r.method === method && r.seed === 1);
      assert.equal(replica.length, 1);
      assert.equal(replica[0]?.learningRate, chosen, `${method} replicates its best rate`);
      const again = runs.filter((r) => r.method === method && r.seed === 0 && r.testSet);
      assert.deepEqual(
        again.map((r) => r.learningRate),
        [chosen],
        `${method} trains its best rate again on seed 0 with the test set`,
      );
      const retrained = summaryOf(again[0] as (typeof runs)[number]);
      assert.equal(retrained?.test_evaluated, true);
      assert.ok(Object.keys(retrained?.metrics ?? {}).length > 0, `${method} seed 0 has test metrics`);
      // Seeded training: the same point on the same seed measures the same validation loss again.
      const swept = summaryOf(seed0.find((r) => r.learningRate === chosen) as (typeof runs)[number]);
      assert.ok(
        Math.abs((retrained?.final_eval_loss ?? 0) - (swept?.final_eval_loss ?? 1)) < 1e-4,
        `${method}: ${retrained?.final_eval_loss} again vs ${swept?.final_eval_loss} in the sweep`,
      );
    }
    assert.equal(runs.length, 10 + widened);
    const texts = h.notifier.texts();
    const stageNotes = texts.filter((t) =>
      t.startsWith(`*Comparison ${id}*: Learning-rate sweep on seed 0 finished`),
    );
    assert.equal(stageNotes.length, widened ? 2 : 1, 'each stage outcome is posted once');
    assert.match(stageNotes.at(-1) ?? '', /trained again on seed 0 with the test set/);
    assert.match(stageNotes.at(-1) ?? '', /Next: the chosen learning rates on seeds 0, 1 \(4 runs\)/);
    if (widened)
      assert.match(stageNotes[0] ?? '', /the grid is widened once where its best rate sits on the edge/);
    assert.equal(texts.filter((t) => t.startsWith(`Comparison ${id} finished`)).length, 1);
    const results = await h.send(`/faceoff results ${id}`);
    const table = results[0]?.tables?.[0];
    assert.ok(table);
    assert.equal(table.rows.length, 2);
    const status = await h.send(`/faceoff status ${id}`);
    const total = runs.length;
    assert.match(
      status[0]?.text ?? '',
      new RegExp(`${total} done, .* of ${total}\\nStaged .*: ${total} of up to 12 planned runs added\\.`),
    );
  });

  it('plan: LoRA meets the target, so full fine-tuning is skipped and the hours it would take are reported', async () => {
    const queued = await h.send(
      '/faceoff plan task=technical_documentation model=tiny max_steps=1 seeds=2 lr_sweep=off target=0',
    );
    const id = jobIdFrom(queued);
    assert.match(queued[0]?.text ?? '', /\*Plan \w+\* queued: .* target 0 on the primary test metric/);
    assert.match(queued[0]?.text ?? '', /Up to 4 runs of 1 step: stage 1 trains lora \(2 runs: /);
    await h.jobs.idle();
    const job = await h.repositories.jobs.getById(id);
    assert.ok(job);
    assert.equal(job.state, 'completed');
    assert.deepEqual(
      job.runs.map((r) => `${r.method}/${r.seed}/${r.state}`),
      ['lora/0/completed', 'lora/1/completed'],
    );
    const announced = h.notifier.texts().filter((t) => t.includes(`Plan ${id} finished after stage 1`));
    assert.equal(announced.length, 1);
    assert.match(announced[0] ?? '', /rouge l on the test split: lora .*: met\./);
    assert.match(announced[0] ?? '', /Not training full saved ~[\d.e-]+ device-hours \(CPU\): 2 runs x /);
    const results = await h.send(`/faceoff results ${id}`);
    assert.ok(
      results.some((r) => r.text.includes(`Plan ${id} finished after stage 1`)),
      'results show the verdict',
    );
  });

  it('plan: LoRA misses the target, so full fine-tuning is trained under the same controls and the gap reported', async () => {
    const queued = await h.send(
      '/faceoff plan task=technical_documentation model=tiny max_steps=2 seeds=2 lr_sweep=off target=1',
    );
    const id = jobIdFrom(queued);
    await h.jobs.idle();
    const job = await h.repositories.jobs.getById(id);
    assert.ok(job);
    assert.equal(job.state, 'completed');
    assert.deepEqual(
      job.runs.map((r) => `${r.method}/${r.seed}/${r.state}`),
      ['lora/0/completed', 'lora/1/completed', 'full/0/completed', 'full/1/completed'],
    );
    const texts = h.notifier.texts();
    const stage1 = texts.filter((t) =>
      t.startsWith(`*Comparison ${id}*: *Stage 1 of the plan:* lora did not reach the target 1`),
    );
    assert.equal(stage1.length, 1, 'the first stage outcome is posted once');
    assert.match(stage1[0] ?? '', /Stage 2:\* training full under identical controls/);
    const final = texts.filter((t) => t.includes(`Plan ${id} finished after stage 2`));
    assert.equal(final.length, 1);
    assert.match(final[0] ?? '', /Gap \(full - LoRA, paired by seed\): [+-]?[\d.]+ ± [\d.]+/);
    assert.match(
      final[0] ?? '',
      /Cost \(all runs, sweeps included\): LoRA [\d.e-]+ and full fine-tuning [\d.e-]+ device-hours \(CPU\) \(measured\)/,
    );
    assert.match(final[0] ?? '', /Recommendation:\* /);
    const status = await h.send(`/faceoff status ${id}`);
    assert.match(
      status[0]?.text ?? '',
      /Staged \(hybrid plan, target 1: .*\): 4 of up to 4 planned runs added\./,
    );
  });

  it('plan: refuses a missing or out-of-range target and one seed before queueing anything', async () => {
    const missing = await h.send('/faceoff plan task=technical_documentation model=tiny');
    assert.match(missing[0]?.text ?? '', /Nothing was queued:\ntarget: required/);
    const bad = await h.send('/faceoff plan task=technical_documentation model=tiny target=1.5 seeds=1');
    assert.match(bad[0]?.text ?? '', /seeds: "1" is not accepted; expected a whole number from 2 to 5/);
    assert.match(bad[0]?.text ?? '', /target: "1\.5" is not accepted; expected a number from 0 to 1/);
  });
});
