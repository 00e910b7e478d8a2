import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLearningRatePlanner } from '../../jobs/lr-grid';
import { trainerConfigSchema } from '../../jobs/trainer-protocol';
import { selectArms } from '../../src/analysis/arms';
import { trainerLora } from '../../src/comparison/lora-options';
import { describePlan, planComparison } from '../../src/comparison/plan';
import { parseComparisonRequest } from '../../src/comparison/request';
import { resultsTable } from '../../src/comparison/results-table';
import { completedRun, runSummary } from '../analysis/run-builders';

const parse = (pairs: Record<string, string>) =>
  parseComparisonRequest([], new Map(Object.entries({ task: 'customer_service', model: 'tiny', ...pairs })));

describe('LoRA options of compare', () => {
  it('reads rank, alpha, targets, a rank sweep and the rank rule', () => {
    const r = parse({ rank: '8', alpha: '16', targets: 'attention' });
    assert.ok(r.ok);
    assert.deepEqual(r.value.lora, { rank: 8, alpha: 16, targets: 'attention' });
    const sweep = parse({ ranks: '64, 4,16', targets: 'mlp' });
    assert.ok(sweep.ok);
    assert.deepEqual(sweep.value.lora, { ranks: [4, 16, 64], targets: 'mlp' });
    const scaled = parse({ rank_rule: 'scaled' });
    assert.ok(scaled.ok);
    assert.deepEqual(scaled.value.lora, { rankRule: 'scaled' });
    const none = parse({});
    assert.ok(none.ok);
    assert.equal(none.value.lora, undefined, 'nothing given: the preset as written');
  });

  it('quotes at most a short excerpt of a huge value back, naming the option', () => {
    const huge = `4,${'9'.repeat(100_000)}`;
    for (const [key, value] of [
      ['ranks', huge],
      ['targets', 'x'.repeat(100_000)],
      ['rank', '1'.repeat(100_000)],
      ['rank_rule', 'scaled'.repeat(20_000)],
    ] as const) {
      const r = parse({ [key]: value });
      assert.equal(r.ok, false, key);
      const error = r.ok ? '' : r.error;
      assert.ok(error.startsWith(`${key}: "`), error.slice(0, 120));
      assert.ok(error.length < 400, `${key}: ${error.length} characters`);
      assert.match(error, /…" is not accepted/);
    }
  });

  it('refuses a huge or disguised choice with a short excerpt, never the whole value', () => {
    for (const raw of ['m'.repeat(100_000), 'mlp\u0000; rm -rf /', 'a\u200btt\u200bention', '"mlp"']) {
      const r = parse({ targets: raw });
      assert.equal(r.ok, false, JSON.stringify(raw.slice(0, 20)));
      const error = r.ok ? '' : r.error;
      // A disguised name is read as itself and offered back: `"mlp"` gets "did you mean mlp?".
      assert.match(
        error,
        /^targets: ".*" is not accepted; expected one of all, attention, mlp(; did you mean (attention|mlp)\?)?$/m,
      );
      assert.ok(error.length < 400, `error of ${error.length} characters`);
    }
  });

  it('takes a choice in any case, checked by the catalog', () => {
    const r = parse({ targets: 'MLP', rank_rule: ' Scaled ' });
    assert.ok(r.ok);
    assert.deepEqual(r.value.lora, { targets: 'mlp', rankRule: 'scaled' });
  });

  it('refuses bad values with the option and what is accepted', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ rank: '0' }, /rank: "0" is not accepted; expected a whole number from 1 to 1024/],
      [{ rank: '2.5' }, /rank: "2.5" is not accepted/],
      [{ alpha: '-1' }, /alpha: "-1" is not accepted; expected a number from 0.01/],
      [{ targets: 'ffn' }, /targets: "ffn" is not accepted; expected one of all, attention, mlp/],
      [{ rank_rule: 'width' }, /rank_rule: "width" is not accepted; expected one of preset, scaled/],
      [
        { ranks: '4,x' },
        /ranks: "4,x" is not accepted; expected comma-separated whole numbers from 1 to 1024/,
      ],
      [{ ranks: '4,4' }, /ranks: a rank is listed twice/],
      [{ ranks: '8' }, /ranks: a sweep needs at least two ranks \(for one rank, use rank=8\)/],
      [{ ranks: '1,2,4,8,16,32' }, /ranks: at most 5 ranks per sweep, got 6/],
      [{ rank: '8', ranks: '4,16' }, /ranks: give either rank=N \(one rank\) or ranks=a,b,c/],
      [{ rank_rule: 'scaled', rank: '8' }, /rank_rule: "scaled" derives the rank from the model width/],
      [{ methods: 'full', rank: '8' }, /rank: LoRA settings need a LoRA method in methods= \(got full\)/],
    ];
    for (const [pairs, expected] of cases) {
      const r = parse(pairs);
      assert.equal(r.ok, false, JSON.stringify(pairs));
      assert.match(r.ok ? '' : r.error, expected);
    }
  });

  it('plans the rank sweep as one more grid dimension, for LoRA only', () => {
    const r = parse({ ranks: '4,16,64', seeds: '2' });
    assert.ok(r.ok);
    const plan = planComparison(r.value, createLearningRatePlanner(), ['customer_service']);
    const lora = plan.runs.filter((x) => x.method === 'lora');
    const full = plan.runs.filter((x) => x.method === 'full');
    // Staged: the whole grid on seed 0, then the chosen point on seed 1 for each method.
    assert.equal(lora.length, 3 * 3, 'learning rates x ranks on seed 0');
    assert.equal(full.length, 3, 'full fine-tuning has no rank');
    assert.ok(plan.runs.every((x) => x.seed === 0));
    assert.deepEqual([...new Set(lora.map((x) => x.rank))], [4, 16, 64]);
    assert.ok(full.every((x) => x.rank === undefined));
    assert.deepEqual(plan.ranks, [4, 16, 64]);
    assert.deepEqual(
      plan.upcoming?.map((u) => `${u.method}/${u.seed}`),
      ['lora/0', 'lora/1', 'full/0', 'full/1'],
      'one widening of the learning-rate grid on seed 0, then the other seed',
    );
    assert.match(
      describePlan(plan),
      /LoRA ranks 4\/16\/64\) on seed 0 only \(1 task x 2 methods x grid = 12 runs\)/,
    );
    assert.match(
      describePlan(plan),
      /then the learning rate and rank chosen per method on the validation split/,
    );
    const once = parse({ ranks: '4,16,64', seeds: '1' });
    assert.ok(once.ok);
    const oneSeed = planComparison(once.value, createLearningRatePlanner(), ['customer_service']);
    assert.equal(oneSeed.runs.length, 3 * 3 + 3);
    assert.match(
      describePlan(oneSeed),
      /LoRA ranks 4\/16\/64\) on seed 0 only \(1 task x 2 methods x grid = 12 runs\)/,
    );
    assert.match(
      describePlan(oneSeed),
      /best learning rate and rank per method is picked on the validation split/,
    );
    const fixedRates = parse({ ranks: '4,16,64', seeds: '1', lr_sweep: 'off' });
    assert.ok(fixedRates.ok);
    const unstaged = planComparison(fixedRates.value, createLearningRatePlanner(), ['customer_service']);
    assert.equal(unstaged.staging, undefined, 'a rank sweep alone has no edge to widen on one seed');
    assert.equal(unstaged.runs.length, 3 + 1);
    const preset = parse({});
    assert.ok(preset.ok);
    const presetPlan = planComparison(preset.value, createLearningRatePlanner(), ['customer_service']);
    assert.ok(presetPlan.runs.every((x) => x.rank === undefined));
    assert.match(describePlan(presetPlan), /LoRA: the task preset's rank/);
  });

  it('gives the trainer the rank, alpha, targets and rule', () => {
    const lora = { ranks: [4, 16], alpha: 8, targets: 'all' as const };
    assert.deepEqual(trainerLora(lora, 4), {
      r: 4,
      alpha: 8,
      target_modules: 'all-linear',
      rank_rule: 'preset',
    });
    assert.deepEqual(trainerLora({ rankRule: 'scaled' }, undefined), { rank_rule: 'scaled' });
    assert.deepEqual(trainerLora(undefined, undefined), { rank_rule: 'preset' });
    const config = {
      run_id: 'x',
      task: 'customer_service',
      model: 'tiny',
      method: 'lora',
      seed: 0,
      max_steps: 4,
      lora: trainerLora({ targets: 'mlp' }, 16),
    };
    assert.ok(trainerConfigSchema.safeParse(config).success);
    const bad = { ...config, lora: { rank_rule: 'width' } };
    assert.equal(trainerConfigSchema.safeParse(bad).success, false);
  });
});

describe('choosing the learning rate and rank on validation loss', () => {
  const run = (rank: number, learningRate: number, seed: number, loss: number, ordinal: number) => ({
    ...completedRun(
      runSummary({
        task: 'customer_service',
        method: 'lora',
        seed,
        learning_rate: learningRate,
        final_eval_loss: loss,
        run_id: `r${ordinal}`,
        lora: { rank, alpha: 2 * rank, dropout: 0.1, target_modules: 'all-linear', rank_rule: 'explicit' },
      }),
    ),
    loraRank: rank,
  });

  it('picks the (learning rate, rank) cell with the lowest mean validation loss over seeds', () => {
    const runs = [
      run(4, 0.01, 0, 1.2, 1),
      run(4, 0.01, 1, 1.0, 2),
      run(16, 0.01, 0, 0.9, 3),
      run(16, 0.01, 1, 1.0, 4), // mean 0.95: the best
      run(64, 0.01, 0, 0.7, 5),
      run(64, 0.01, 1, 1.3, 6), // mean 1.0 although one seed is the lowest of all
      run(16, 0.03, 0, 1.5, 7),
      run(16, 0.03, 1, 1.5, 8),
    ];
    const [arm] = selectArms(runs);
    assert.equal(arm?.chosenLr, 0.01);
    assert.equal(arm?.chosenRank, 16);
    assert.equal(arm?.rankAtEdge, false);
    assert.equal(arm?.lrAtEdge, true, '0.01 is the lowest rate tried');
    assert.deepEqual(
      arm?.runs.map((r) => r.run_id),
      ['r3', 'r4'],
    );
    const table = resultsTable(arm ? [arm] : [], true);
    assert.match(table.rows[0]?.[2] ?? '', /^r=16 α=32 dropout 0.1, all linear \(rank as requested\)$/);
    assert.match(table.rows[0]?.[4] ?? '', /\(edge\)/);
    assert.ok(table.notes?.some((n) => /rank 16 chosen on validation loss\.$/.test(n)));
    assert.ok(table.notes?.some((n) => /1e-2 r=4 1\.1/.test(n) || /r=4/.test(n)));
  });

  it('flags a chosen rank on the edge of the ranks tried', () => {
    const [arm] = selectArms([run(4, 0.01, 0, 1.2, 1), run(64, 0.01, 0, 0.8, 2)]);
    assert.equal(arm?.chosenRank, 64);
    assert.equal(arm?.rankAtEdge, true);
    const table = resultsTable(arm ? [arm] : [], true);
    assert.ok(table.notes?.some((n) => /rank 64 chosen .* edge of the ranks tried/.test(n)));
  });
});
