import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseLearningRate } from '../../src/analysis/arms';
import type { RunLike } from '../../src/analysis/run-summary';
import { summarize } from '../../src/analysis/statistics';
import { clearsTarget } from '../../src/comparison/hybrid-plan';
import type { ComparisonPlan } from '../../src/comparison/plan';
import type { ComparisonRequest } from '../../src/comparison/request';
import { nextStage } from '../../src/comparison/stages';
import { loadFixtureRuns } from '../fixtures/runs/load';

/** Recorded tiny-model runs (see test/fixtures/runs/README.md). */
const recorded = loadFixtureRuns();
const pick = (task: string, method: string, seed: number, rate?: number) =>
  recorded.filter(
    (r) =>
      r.task === task &&
      r.method === method &&
      r.seed === seed &&
      (rate === undefined || r.learningRate === rate),
  );

const request = (task: string, seeds: number): ComparisonRequest => ({
  task: { kind: 'suites', tasks: [task as never] },
  model: 'tiny',
  methods: ['lora', 'full'],
  seeds,
  maxSteps: 60,
  lrSweep: true,
  gpus: 0,
});

/** The plan the fixtures were recorded under: customer_service swept on the tiny model's grid. */
const swept: ComparisonPlan = {
  tasks: ['customer_service'],
  methods: ['lora', 'full'],
  seeds: [0, 1],
  learningRates: { lora: [0.001, 0.003, 0.009], full: [0.00033, 0.001, 0.003] },
  lrTuned: true,
  maxSteps: 60,
  runs: [],
  staging: { kind: 'sweep-then-replicate' },
  upcoming: [
    { task: 'customer_service', method: 'lora', seed: 1 },
    { task: 'customer_service', method: 'full', seed: 1 },
  ],
};
const sweep = [...pick('customer_service', 'lora', 0), ...pick('customer_service', 'full', 0)];

describe('nextStage: sweep on the first seed, then replicate', () => {
  it('replicates each method at the rate with the lowest measured validation loss on seed 0', () => {
    const step = nextStage({ request: request('customer_service', 2), plan: swept, runs: sweep });
    assert.deepEqual(
      step.next?.map((r) => `${r.method}/${r.seed}/${r.learningRate}`),
      ['lora/1/0.009', 'full/1/0.003'],
    );
    assert.match(
      step.outcome ?? '',
      /customer_service lora: 9e-3 chosen \(validation loss, measured: 1e-3 1\.791, 3e-3 1\.244, 9e-3 0\.825\)/,
    );
    assert.match(
      step.outcome ?? '',
      /Next: the chosen learning rates on seeds 1 \(2 runs\), paired across methods\./,
    );
    assert.equal(step.verdict, undefined);
  });

  it('ends once the chosen rates have every seed, and never adds a run twice', () => {
    const done = [
      ...sweep,
      ...pick('customer_service', 'lora', 1, 0.009),
      ...pick('customer_service', 'full', 1, 0.003),
    ];
    assert.deepEqual(nextStage({ request: request('customer_service', 2), plan: swept, runs: done }), {});
  });

  it('waits while runs are open and stops for good after a cancellation', () => {
    const open: RunLike[] = sweep.map((r, i) => (i === 0 ? { ...r, state: 'running', summary: null } : r));
    assert.deepEqual(nextStage({ request: request('customer_service', 2), plan: swept, runs: open }), {});
    const cancelled = sweep.map((r, i) => (i === 0 ? { ...r, state: 'cancelled' } : r));
    assert.deepEqual(
      nextStage({ request: request('customer_service', 2), plan: swept, runs: cancelled }),
      {},
    );
  });

  it('skips a method none of whose rates finished on seed 0, and says so', () => {
    const failedLora = sweep.map((r) => (r.method === 'lora' ? { ...r, state: 'failed', summary: null } : r));
    const step = nextStage({ request: request('customer_service', 2), plan: swept, runs: failedLora });
    assert.deepEqual(
      step.next?.map((r) => r.method),
      ['full'],
    );
    assert.match(
      step.outcome ?? '',
      /customer_service lora: no learning rate finished on seed 0, so it is not replicated/,
    );
  });

  it('chooses the rate on the seeds every rate shares, so replication does not change the choice', () => {
    const lora = [...pick('customer_service', 'lora', 0), ...pick('customer_service', 'lora', 1, 0.009)];
    // A worse replica at the chosen rate would tip a mean over all seeds; on seed 0 it stays chosen.
    const worse = lora.map((r) =>
      r.seed === 1 ? { ...r, summary: { ...(r.summary as object), final_eval_loss: 5 } } : r,
    );
    assert.equal(chooseLearningRate(worse), 0.009);
  });
});

const hybrid = (
  task: string,
  seeds: number[],
  rates: Record<string, number>,
  target: number,
): ComparisonPlan => ({
  tasks: [task],
  methods: ['lora', 'full'],
  seeds,
  learningRates: { lora: [rates.lora as number], full: [rates.full as number] },
  lrTuned: false,
  maxSteps: 60,
  runs: [],
  staging: { kind: 'hybrid', target },
  upcoming: seeds.map((seed) => ({ task, method: 'full', seed })),
});

describe('nextStage: the hybrid plan', () => {
  it('checks the target against the whole interval, counted from zero since scores are never negative', () => {
    const spread = summarize([0.0, 0.02, 0.01]);
    assert.ok((spread.ci?.low ?? 0) < 0);
    assert.equal(clearsTarget(spread, 0, true), true);
    assert.equal(clearsTarget(spread, 0.005, true), false);
    assert.equal(clearsTarget(summarize([0.5]), 0, true), false, 'one seed has no interval');
    assert.equal(clearsTarget(summarize([0.4, 0.42, 0.41]), 0.45, false), true, 'a loss must stay below it');
  });

  it('ends after LoRA when its whole interval clears the target, with the hours full fine-tuning would have taken', () => {
    const plan = hybrid('customer_service', [0, 1], { lora: 0.009, full: 0.003 }, 0);
    const lora = pick('customer_service', 'lora', 0, 0.009).concat(
      pick('customer_service', 'lora', 1, 0.009),
    );
    const rates = new Map([['full', { secondsPerStep: 0.5, samples: 4, scope: 'this workspace' as const }]]);
    const step = nextStage({ request: request('customer_service', 2), plan, runs: lora, rates });
    assert.equal(step.next, undefined);
    const text = step.verdict?.text ?? '';
    assert.match(text, /Plan finished after stage 1: LoRA meets your target 0/);
    assert.match(
      text,
      /intent resolution exact match on the test split: lora 0\.000 ± 0\.000 .*the whole interval is above the target 0: met/,
    );
    // 2 full runs x 0.5 s/step x 60 steps = 60 s = 0.0167 h.
    assert.match(
      text,
      /saved ~0\.0167 device-hours \(CPU\): 2 runs x 0\.00833 h each, estimated from 4 measured full run\(s\) of tiny \(this workspace\)/,
    );
    const unmeasured = nextStage({ request: request('customer_service', 2), plan, runs: lora });
    assert.match(
      unmeasured.verdict?.text ?? '',
      /x 14\.0 \(the cost model's article ratio of full to LoRA GPU-hours: computed, not measured/,
    );
  });

  it('trains full fine-tuning when LoRA misses, then reports the measured gap, its cost and a recommendation', () => {
    const plan = hybrid('data_analysis', [0, 1, 2], { lora: 0.003, full: 0.001 }, 0.05);
    const lora = recorded.filter((r) => r.task === 'data_analysis' && r.method === 'lora');
    const stage1 = nextStage({ request: request('data_analysis', 3), plan, runs: lora });
    assert.deepEqual(
      stage1.next?.map((r) => `${r.method}/${r.seed}/${r.learningRate}`),
      ['full/0/0.001', 'full/1/0.001', 'full/2/0.001'],
    );
    assert.match(stage1.outcome ?? '', /Stage 1 of the plan:\* lora did not reach the target 0\.05/);
    assert.match(
      stage1.outcome ?? '',
      /numeric accuracy on the test split: lora 0\.019 ± 0\.024 .*short of the target 0\.05: missed/,
    );
    const all = recorded.filter((r) => r.task === 'data_analysis');
    const stage2 = nextStage({ request: request('data_analysis', 3), plan, runs: all });
    assert.equal(stage2.next, undefined);
    const text = stage2.verdict?.text ?? '';
    assert.match(text, /Plan finished after stage 2/);
    assert.match(text, /Gap \(full - LoRA, paired by seed\): \+0\.011 ± /);
    assert.match(
      text,
      /Cost \(all runs, sweeps included\): LoRA 0\.0732 and full fine-tuning 0\.0429 device-hours \(CPU\) \(measured\); \$0\.18 and \$0\.34 at \$2\.5\/h and \$8\/h .*: full fine-tuning cost \$0\.16 more \(computed\)/,
    );
    assert.match(
      text,
      /Recommendation:\* LoRA: neither method met the target and the runs cannot tell them apart/,
    );
  });
});

describe('nextStage with a rank sweep', () => {
  it('replicates the (learning rate, rank) point with the lowest validation loss, rank included', () => {
    // The recorded LoRA runs, read as one rank sweep: each learning rate stands for a rank.
    const ranks = new Map([
      [0.001, 4],
      [0.003, 16],
      [0.009, 64],
    ]);
    const lora = pick('customer_service', 'lora', 0).map((r) => ({
      ...r,
      loraRank: ranks.get(r.learningRate),
    }));
    const plan: ComparisonPlan = { ...swept, ranks: [4, 16, 64], lora: { ranks: [4, 16, 64] } };
    const step = nextStage({
      request: request('customer_service', 2),
      plan,
      runs: [...lora, ...pick('customer_service', 'full', 0)],
    });
    assert.deepEqual(
      step.next?.map((r) => `${r.method}/${r.seed}/${r.learningRate}/${r.rank ?? '-'}`),
      ['lora/1/0.009/64', 'full/1/0.003/-'],
    );
    assert.match(
      step.outcome ?? '',
      /customer_service lora: 9e-3 rank 64 chosen \(validation loss, measured: 1e-3 rank 4 1\.791/,
    );
  });
});
