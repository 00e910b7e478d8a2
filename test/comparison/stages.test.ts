import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseLearningRate, distinctRuns, selectArms } from '../../src/analysis/arms';
import { type RunLike, summaryOf } from '../../src/analysis/run-summary';
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
const firstSweep = [...pick('customer_service', 'lora', 0), ...pick('customer_service', 'full', 0)];
/**
 * A seed-0 run one step beyond the grid's top edge, with the validation loss given: the recorded
 * run at the edge with its rate and loss changed, standing for the run the widening stage adds.
 */
const beyondEdge = (method: string, rate: number, loss: number, rank?: number): RunLike => {
  const edge = pick('customer_service', method, 0).at(-1) as RunLike;
  return {
    ...edge,
    id: `${edge.id}-beyond`,
    learningRate: rate,
    ...(rank !== undefined ? { loraRank: rank } : {}),
    summary: { ...(edge.summary as object), final_eval_loss: loss },
  };
};
const sweep = [...firstSweep, beyondEdge('lora', 0.027, 0.9), beyondEdge('full', 0.009, 2.5)];

describe('nextStage: sweep on the first seed, widen an edge once, then replicate', () => {
  it('widens the grid once, on seed 0, where the best rate is the highest tried', () => {
    const step = nextStage({ request: request('customer_service', 2), plan: swept, runs: firstSweep });
    assert.deepEqual(
      step.next?.map((r) => `${r.method}/${r.seed}/${r.learningRate}`),
      ['lora/0/0.027', 'full/0/0.009'],
    );
    assert.match(
      step.outcome ?? '',
      /customer_service lora: the best rate 9e-3 is the highest tried \(validation loss, measured: 1e-3 1\.791, 3e-3 1\.244, 9e-3 0\.825\); trying 2\.7e-2 once\./,
    );
    // Once widened, a method whose best rate is still on the edge is not widened again.
    const further = [...firstSweep, beyondEdge('lora', 0.027, 0.5), beyondEdge('full', 0.009, 0.1)];
    const replicate = nextStage({ request: request('customer_service', 2), plan: swept, runs: further });
    assert.deepEqual(
      replicate.next?.map((r) => `${r.method}/${r.seed}/${r.learningRate}`),
      ['lora/1/0.027', 'full/1/0.009'],
    );
  });

  it('widens the lowest edge downwards', () => {
    const low = firstSweep.map((r) =>
      r.method === 'full' && r.learningRate === 0.00033
        ? { ...r, summary: { ...(r.summary as object), final_eval_loss: 0.01 } }
        : r,
    );
    const step = nextStage({ request: request('customer_service', 2), plan: swept, runs: low });
    assert.deepEqual(
      step.next?.map((r) => `${r.method}/${r.seed}/${r.learningRate}`),
      ['lora/0/0.027', 'full/0/0.00011'],
    );
    assert.match(step.outcome ?? '', /full: the best rate 3\.3e-4 is the lowest tried .*trying 1\.1e-4 once/);
  });

  it('replicates each method at the rate with the lowest measured validation loss on seed 0', () => {
    const step = nextStage({ request: request('customer_service', 2), plan: swept, runs: sweep });
    assert.deepEqual(
      step.next?.map((r) => `${r.method}/${r.seed}/${r.learningRate}`),
      ['lora/1/0.009', 'full/1/0.003'],
    );
    assert.match(
      step.outcome ?? '',
      /customer_service lora: 9e-3 chosen \(validation loss, measured: 1e-3 1\.791, 3e-3 1\.244, 9e-3 0\.825, 2\.7e-2 0\.900\)/,
    );
    assert.match(
      step.outcome ?? '',
      /Next: the chosen learning rates on seed 1 \(2 runs\), paired across methods\./,
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
    const priced = nextStage({
      request: { ...request('data_analysis', 3), rates: { lora: 1, full: 2 } },
      plan,
      runs: all,
    });
    assert.match(
      priced.verdict?.text ?? '',
      /\$0\.07 and \$0\.09 at \$1\/h and \$2\/h \(the requester's rates \(lora_gpu_rate, full_gpu_rate\)\)/,
    );
  });
});

describe('nextStage: the hybrid plan reuses stage 1', () => {
  it("moves full fine-tuning's grid by the factor LoRA's chosen rate sits from its grid centre", () => {
    const plan: ComparisonPlan = {
      ...swept,
      staging: { kind: 'hybrid', target: 0.99 },
      upcoming: [],
    };
    const lora = [
      ...pick('customer_service', 'lora', 0),
      beyondEdge('lora', 0.027, 0.9),
      ...pick('customer_service', 'lora', 1, 0.009),
    ];
    const step = nextStage({ request: request('customer_service', 2), plan, runs: lora });
    assert.deepEqual(
      step.next?.map((r) => `${r.method}/${r.seed}/${r.learningRate}`),
      ['full/0/0.00099', 'full/0/0.003', 'full/0/0.009'],
    );
    assert.match(
      step.outcome ?? '',
      /Stage 2 reuses stage 1's learning-rate range: lora's chosen rate is 3x the centre of its grid \(measured on seed 0\), so the grid moves by the same factor: full 3\.3e-4\/1e-3\/3e-3 -> 9\.9e-4\/3e-3\/9e-3\./,
    );
    // Later stages read the moved grid: full's best at its top edge is widened beyond 9e-3.
    const full = pick('customer_service', 'full', 0).map((r) => ({
      ...r,
      id: `${r.id}-moved`,
      learningRate: Number((r.learningRate * 3).toPrecision(2)),
    }));
    const widen = nextStage({ request: request('customer_service', 2), plan, runs: [...lora, ...full] });
    assert.deepEqual(
      widen.next?.map((r) => `${r.method}/${r.seed}/${r.learningRate}`),
      ['full/0/0.027'],
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
    const first = [...lora, ...pick('customer_service', 'full', 0)];
    const widen = nextStage({ request: request('customer_service', 2), plan, runs: first });
    assert.deepEqual(
      widen.next?.map((r) => `${r.method}/${r.seed}/${r.learningRate}/${r.rank ?? '-'}`),
      ['lora/0/0.027/64', 'full/0/0.009/-'],
      'the grid is widened at the chosen rank',
    );
    const step = nextStage({
      request: request('customer_service', 2),
      plan,
      runs: [...first, beyondEdge('lora', 0.027, 0.9, 64), beyondEdge('full', 0.009, 2.5)],
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

/**
 * The sweep's points measured on the validation split only (a real model's plan): the recorded
 * seed-0 runs as validation-only points, i.e. without test metrics or an artifact.
 */
const validationOnlyRun = (run: RunLike): RunLike => ({
  ...run,
  testSet: false,
  summary: { ...(run.summary as object), test_evaluated: false, metrics: {}, artifact_bytes: undefined },
});

describe('nextStage: the test set only at the point chosen', () => {
  const plan: ComparisonPlan = { ...swept, testChosenOnly: true };
  const sweptOnly = sweep.map(validationOnlyRun);

  it('widens with validation-only runs too', () => {
    const step = nextStage({
      request: request('customer_service', 2),
      plan,
      runs: firstSweep.map(validationOnlyRun),
    });
    assert.deepEqual(
      step.next?.map((r) => `${r.method}/${r.seed}/${r.learningRate}/${r.testSet}`),
      ['lora/0/0.027/false', 'full/0/0.009/false'],
    );
  });

  it('trains the chosen point again on seed 0 with the test set, and replicates it on the other seeds', () => {
    const step = nextStage({ request: request('customer_service', 2), plan, runs: sweptOnly });
    assert.deepEqual(
      step.next?.map((r) => `${r.method}/${r.seed}/${r.learningRate}/${r.testSet ?? 'test'}`),
      ['lora/0/0.009/test', 'lora/1/0.009/test', 'full/0/0.003/test', 'full/1/0.003/test'],
    );
    assert.match(
      step.outcome ?? '',
      /lora: 9e-3 chosen \(validation loss, measured: .*\); trained again on seed 0 with the test set/,
    );
    assert.match(
      step.outcome ?? '',
      /Next: the chosen learning rates on seeds 0, 1 \(4 runs\), paired across methods\./,
    );
  });

  it('ends once every seed has a run with the test set, without adding seed 0 twice', () => {
    const tested = (method: string, seed: number, rate: number) =>
      pick('customer_service', method, seed, rate);
    const done = [
      ...sweptOnly,
      ...tested('lora', 0, 0.009),
      ...tested('full', 0, 0.003),
      ...tested('lora', 1, 0.009),
      ...tested('full', 1, 0.003),
    ];
    assert.deepEqual(nextStage({ request: request('customer_service', 2), plan, runs: done }), {});
  });

  it('counts a retrained seed once: the arm holds one tested run per seed, the sweep keeps its losses', () => {
    const lora = [
      ...pick('customer_service', 'lora', 0).map(validationOnlyRun),
      ...pick('customer_service', 'lora', 0, 0.009).map((r) => ({ ...r, id: `${r.id}-again` })),
      ...pick('customer_service', 'lora', 1, 0.009),
    ];
    const [arm] = selectArms(lora);
    assert.equal(arm?.chosenLr, 0.009);
    assert.deepEqual(arm?.runs.map((r) => r.seed).sort(), [0, 1]);
    assert.ok(arm?.runs.every((r) => r.test_evaluated !== false));
    const chosen = arm?.tried.find((t) => t.learningRate === 0.009);
    assert.equal(chosen?.completed, 2, 'seed 0 counted once at the chosen point');
    // what the choice compared: seed 0, which every rate ran (the sweep's own measurement)
    assert.deepEqual(arm?.choiceSeeds, [0]);
    const seed0 = (rate: number) =>
      summaryOf(pick('customer_service', 'lora', 0, rate)[0] as RunLike)?.final_eval_loss;
    assert.equal(chosen?.choiceValLoss, seed0(0.009));
    assert.equal(arm?.tried.find((t) => t.learningRate === 0.001)?.choiceValLoss, seed0(0.001));
    assert.equal(arm?.tried.find((t) => t.learningRate === 0.001)?.completed, 1);
    // Until the retrained run completes, the sweep point stands and the arm has no seed-0 run.
    const pending = lora.map((r) =>
      r.id.endsWith('-again') ? { ...r, state: 'running', summary: null } : r,
    );
    const [waiting] = selectArms(pending);
    assert.equal(waiting?.chosenLr, 0.009);
    assert.deepEqual(
      waiting?.runs.map((r) => r.seed),
      [1],
    );
    // The sweep's measurement decides the choice: a retrained run that measured a worse loss
    // (a GPU's last digits) does not move it to a point that has no tested run.
    const drifted = lora.map((r) =>
      r.id.endsWith('-again') ? { ...r, summary: { ...(r.summary as object), final_eval_loss: 99 } } : r,
    );
    const [kept] = selectArms(drifted);
    assert.equal(kept?.chosenLr, 0.009);
    assert.deepEqual(kept?.runs.map((r) => r.seed).sort(), [0, 1]);
    assert.equal(distinctRuns(drifted).length, drifted.length - 1);
  });
});
