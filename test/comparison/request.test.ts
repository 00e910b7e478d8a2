import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createLearningRatePlanner, paramsFromModelName } from '../../jobs/lr-grid';
import { parseArguments, tokenize } from '../../src/commands/arguments';
import { allPlannedRuns, describePlan, planComparison } from '../../src/comparison/plan';
import {
  DEFAULT_STEPS,
  METHODS,
  parseComparisonRequest,
  parsePlanRequest,
} from '../../src/comparison/request';
import { TASK_IDS } from '../../src/tasks/profiles';

const parse = (pairs: Record<string, string>, positional: string[] = []) =>
  parseComparisonRequest(positional, new Map(Object.entries(pairs)));

describe('parseComparisonRequest', () => {
  it('accepts a suite with defaults', () => {
    const r = parse({ task: 'customer_service', model: 'tiny' });
    assert.ok(r.ok);
    assert.deepEqual(r.value.task, { kind: 'suites', tasks: ['customer_service'] });
    assert.deepEqual(r.value.methods, ['lora', 'full']);
    assert.equal(r.value.seeds, 3, 'three seeds by default, so every paired difference gets an interval');
    assert.equal(r.value.lrSweep, true);
    assert.equal(r.value.maxSteps, 120);
  });

  it('sizes the default steps to the built-in real model, and an explicit max_steps wins', () => {
    const smol = parse({ task: 'customer_service', model: 'smollm2-135m' });
    assert.ok(smol.ok);
    assert.equal(smol.value.maxSteps, DEFAULT_STEPS['smollm2-135m']);
    assert.ok(smol.value.maxSteps < DEFAULT_STEPS.tiny);
    const given = parse({ task: 'customer_service', model: 'smollm2-135m', max_steps: '7' });
    assert.ok(given.ok);
    assert.equal(given.value.maxSteps, 7);
    assert.equal(paramsFromModelName('smollm2-135m'), 135e6, 'lands in the small learning-rate bucket');
  });
  it('expands task=all to every suite and reads every option', () => {
    const r = parse({
      task: 'all',
      model: 'meta-llama/Llama-2-7b-hf',
      methods: 'full,lora',
      seeds: '3',
      max_steps: '50',
      lr_sweep: 'off',
      gpus: '2',
      batch_size: '4',
    });
    assert.ok(r.ok);
    assert.deepEqual(r.value.task.kind === 'suites' && r.value.task.tasks, [...TASK_IDS]);
    assert.deepEqual(r.value.methods, ['full', 'lora']);
    assert.equal(r.value.seeds, 3);
    assert.equal(r.value.lrSweep, false);
    assert.equal(r.value.batchSize, 4);
  });
  it('reads a dataset id', () => {
    const r = parse({ task: 'ds-ab12cd', model: './models/mine' });
    assert.ok(r.ok);
    assert.deepEqual(r.value.task, { kind: 'dataset', datasetId: 'ds-ab12cd' });
  });
  it('reads lists of suites or of datasets, and names what is wrong in a list', () => {
    const suites = parse({ task: 'customer_service, data_analysis', model: 'tiny' });
    assert.ok(suites.ok);
    assert.deepEqual(suites.value.task, { kind: 'suites', tasks: ['customer_service', 'data_analysis'] });
    const datasets = parse({ task: 'ds-ab12cd,DS-ZZ9', model: 'tiny' });
    assert.ok(datasets.ok);
    assert.deepEqual(datasets.value.task, {
      kind: 'dataset',
      datasetId: 'ds-ab12cd',
      datasetIds: ['ds-ab12cd', 'ds-zz9'],
    });
    const cases: [string, RegExp][] = [
      ['customer_service,,data_analysis', /task: entry 2 of "customer_service,,data_analysis" is empty/],
      ['customer_service,customer_service', /task: "customer_service" is named twice/],
      ['ds-ab,DS-AB', /task: "DS-AB" is named twice/],
      ['all,customer_service', /task: all already means every suite/],
      ['customer_service,ds-ab12cd', /task: list task suites or datasets, not both/],
      ['customer_service,poetry', /task: "poetry" is not a task suite/],
    ];
    for (const [task, expected] of cases) {
      const r = parse({ task, model: 'tiny' });
      assert.equal(r.ok, false, task);
      assert.match(r.ok ? '' : r.error, expected, task);
    }
  });

  it('reads several models as a scaling study, the first as the model', () => {
    const r = parse({ task: 'customer_service', model: 'tiny-s, tiny,tiny-l' });
    assert.ok(r.ok);
    assert.equal(r.value.model, 'tiny-s');
    assert.deepEqual(r.value.models, ['tiny-s', 'tiny', 'tiny-l']);
    assert.equal(r.value.maxSteps, DEFAULT_STEPS.tiny, 'the tiny family shares the tiny default steps');
    const one = parse({ task: 'customer_service', model: 'tiny' });
    assert.ok(one.ok);
    assert.equal(one.value.models, undefined);
    assert.equal(paramsFromModelName('tiny-l'), paramsFromModelName('tiny'), 'one learning-rate bucket');
  });

  it('lists every problem with the accepted values', () => {
    const r = parse(
      {
        task: 'poetry',
        model: 'gpt four',
        methods: 'lora,dora',
        seeds: '9',
        max_steps: '0',
        lr_sweep: 'maybe',
        colour: 'red',
      },
      ['now'],
    );
    assert.equal(r.ok, false);
    const e = r.ok ? '' : r.error;
    assert.match(e, /compare takes key=value pairs only/);
    assert.match(e, /colour: unknown key/);
    assert.match(e, /task: "poetry" is not a task suite/);
    assert.ok(e.includes(`methods: unknown "dora" (accepted: ${METHODS.join(', ')})`), e);
    assert.match(e, /seeds: "9" is not accepted; expected a whole number from 1 to 5/);
    assert.match(e, /max_steps: "0" is not accepted/);
    assert.match(e, /lr_sweep: "maybe" is not on or off/);
  });
  it('requires task and model', () => {
    const r = parse({});
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /task: required[\s\S]*model: required/);
  });
});

describe('rates to price a comparison with', () => {
  it('takes lora_gpu_rate and full_gpu_rate, and names the field of a bad one', () => {
    const r = parse({ task: 'customer_service', model: 'tiny', lora_gpu_rate: '1.2', full_gpu_rate: '4' });
    assert.ok(r.ok);
    assert.deepEqual(r.value.rates, { lora: 1.2, full: 4 });
    const one = parse({ task: 'customer_service', model: 'tiny', full_gpu_rate: '3.5' });
    assert.ok(one.ok);
    assert.deepEqual(one.value.rates, { full: 3.5 });
    assert.equal(parse({ task: 'customer_service', model: 'tiny' }).ok && undefined, undefined);
    const bad = parse({ task: 'customer_service', model: 'tiny', lora_gpu_rate: 'cheap' });
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.error, /^lora_gpu_rate: "cheap" is not accepted; expected a number/m);
    const negative = parse({ task: 'customer_service', model: 'tiny', full_gpu_rate: '-2' });
    assert.match(negative.ok ? '' : negative.error, /full_gpu_rate: .*from 0 to 10000/);
  });
});

describe('planComparison with the shared learning-rate defaults', () => {
  it('on one seed: the sweep, then at most one widening of an edge per method', () => {
    const r = parse({ task: 'customer_service', model: 'tiny', seeds: '1' });
    assert.ok(r.ok);
    const plan = planComparison(r.value, createLearningRatePlanner(), ['customer_service']);
    assert.equal(plan.runs.length, 2 * 3);
    assert.deepEqual(plan.staging, { kind: 'sweep-then-replicate' });
    assert.deepEqual(
      plan.upcoming?.map((u) => `${u.method}/${u.seed}`),
      ['lora/0', 'full/0'],
    );
    assert.ok((plan.learningRates.lora?.[1] ?? 0) > (plan.learningRates.full?.[1] ?? 0));
    assert.match(
      describePlan(plan),
      /^Up to 8 runs of 120 steps, in stages: .*= 6 runs\); a method whose best rate sits on its grid's edge gets one more rate beyond it, once \(up to 2 runs\); .*one seed gives no interval/,
    );
    const fixed = parse({ task: 'customer_service', model: 'tiny', seeds: '1', lr_sweep: 'off' });
    assert.ok(fixed.ok);
    const unstaged = planComparison(fixed.value, createLearningRatePlanner(), ['customer_service']);
    assert.equal(unstaged.staging, undefined);
    assert.equal(unstaged.runs.length, 2);
  });
  it('by default sweeps on seed 0 only, then replicates the chosen rate on two more seeds', () => {
    const r = parse({ task: 'customer_service', model: 'tiny' });
    assert.ok(r.ok);
    const plan = planComparison(r.value, createLearningRatePlanner(), ['customer_service']);
    assert.deepEqual(plan.staging, { kind: 'sweep-then-replicate' });
    assert.equal(plan.runs.length, 2 * 3, 'the sweep: 2 methods x 3 learning rates on seed 0');
    assert.ok(plan.runs.every((run) => run.seed === 0));
    assert.deepEqual(
      plan.upcoming?.map((u) => `${u.method}/${u.seed}`),
      ['lora/0', 'lora/1', 'lora/2', 'full/0', 'full/1', 'full/2'],
    );
    assert.equal(allPlannedRuns(plan).length, 12);
    assert.equal(
      describePlan(plan).split('\n')[0],
      'Up to 12 runs of 120 steps, in stages: first the learning-rate sweep (lora 6.7e-3/2e-2/6e-2; full 1e-3/3e-3/9e-3) ' +
        "on seed 0 only (1 task x 2 methods x grid = 6 runs); a method whose best rate sits on its grid's edge " +
        'gets one more rate beyond it, once (up to 2 runs); then the learning rate chosen per method on the ' +
        'validation split is replicated on 2 seeds more (4 runs), so each method ends with 3 seeds paired across ' +
        'methods and its score gets an interval. Sweeping every seed would take 18 runs.',
    );
    assert.deepEqual(describePlan(plan).split('\n').slice(1), [
      "LoRA: the task preset's rank, alpha at the preset's alpha/rank ratio, all linear layers.",
      'lora learning rates centred on the defaults measured for this model size',
      'full learning rates centred on the defaults measured for this model size',
    ]);
  });
  it('on a real model the sweep measures validation loss only and the chosen point is trained again on seed 0 with the test set', () => {
    const r = parse({ task: 'customer_service', model: 'smollm2-135m' });
    assert.ok(r.ok);
    const plan = planComparison(r.value, createLearningRatePlanner(), ['customer_service']);
    assert.equal(plan.testChosenOnly, true);
    assert.equal(plan.runs.length, 6);
    assert.ok(plan.runs.every((run) => run.seed === 0 && run.testSet === false));
    assert.deepEqual(
      plan.upcoming?.map((u) => `${u.method}/${u.seed}`),
      ['lora/0', 'lora/0', 'lora/1', 'lora/2', 'full/0', 'full/0', 'full/1', 'full/2'],
      'a widening slot and the chosen point on seeds 0, 1 and 2, per method',
    );
    assert.equal(allPlannedRuns(plan).length, 14);
    assert.match(
      describePlan(plan).split('\n')[0] ?? '',
      /^Up to 14 runs of 12 steps, in stages: .*\(1 task x 2 methods x grid = 6 runs, validation loss only: the test set is evaluated at the point chosen\); .*\(up to 2 runs\); then the learning rate chosen per method on the validation split is trained again on seed 0 with the test set and replicated on 2 seeds more \(6 runs\)/,
    );
    // asked for: every point tested on the real model, or the chosen point only on the tiny one
    const every = planComparison(r.value, createLearningRatePlanner(), ['customer_service'], {
      sweepTest: 'every',
    });
    assert.equal(every.testChosenOnly, undefined);
    assert.ok(every.runs.every((run) => run.testSet === undefined));
    const tiny = parse({ task: 'customer_service', model: 'tiny', seeds: '1' });
    assert.ok(tiny.ok);
    const chosen = planComparison(tiny.value, createLearningRatePlanner(), ['customer_service'], {
      sweepTest: 'chosen',
    });
    assert.deepEqual(
      chosen.upcoming?.map((u) => `${u.method}/${u.seed}`),
      ['lora/0', 'lora/0', 'full/0', 'full/0'],
    );
    assert.match(
      describePlan(chosen),
      /picked on the validation split and trained again with the test set \(2 runs\)/,
    );
    // nothing swept: every run is tested
    const fixed = parse({ task: 'customer_service', model: 'smollm2-135m', lr_sweep: 'off' });
    assert.ok(fixed.ok);
    const unswept = planComparison(fixed.value, createLearningRatePlanner(), ['customer_service']);
    assert.equal(unswept.testChosenOnly, undefined);
    assert.ok(unswept.runs.every((run) => run.testSet === undefined));
  });
  it('plans the hybrid plan: LoRA first, full fine-tuning only as a later stage', () => {
    const r = parse({ task: 'data_analysis', model: 'tiny', seeds: '2' });
    assert.ok(r.ok);
    const plan = planComparison(r.value, createLearningRatePlanner(), ['data_analysis'], {
      hybridTarget: 0.5,
    });
    assert.deepEqual(plan.staging, { kind: 'hybrid', target: 0.5 });
    assert.deepEqual(
      plan.runs.map((run) => `${run.method}/${run.seed}/${run.learningRate}`),
      (plan.learningRates.lora ?? []).map((rate) => `lora/0/${rate}`),
    );
    assert.deepEqual(
      plan.upcoming?.map((u) => `${u.method}/${u.seed}`),
      ['lora/0', 'lora/1', 'full/0', 'full/0', 'full/0', 'full/0', 'full/1'],
    );
    assert.match(describePlan(plan), /^Up to 10 runs of 120 steps: stage 1 trains lora \(5 runs: /);
  });
  it('uses one default rate per method with the sweep off', () => {
    const r = parse({ task: 'all', model: 'tiny', lr_sweep: 'off' });
    assert.ok(r.ok);
    const plan = planComparison(
      r.value,
      createLearningRatePlanner(),
      r.value.task.kind === 'suites' ? r.value.task.tasks : [],
    );
    assert.equal(plan.runs.length, TASK_IDS.length * 2 * 3, 'nothing to sweep: every seed at once');
    assert.equal(plan.staging, undefined);
    assert.equal(plan.lrTuned, false);
  });
  it('sizes models from their names', () => {
    assert.equal(paramsFromModelName('meta-llama/Llama-2-70b-hf'), 70e9);
    assert.equal(paramsFromModelName('tiny'), 1e6);
  });
});

describe('the committed console script from measurements to the plan', () => {
  it('has a compare, a decide on it and two plans whose commands all parse', () => {
    const lines = readFileSync('bots/console/scripts/measure-decide-plan.txt', 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('/faceoff '));
    assert.deepEqual(
      lines.map((line) => line.split(' ')[1]),
      ['compare', 'decide', 'plan', 'plan'],
    );
    const args = (line: string) => {
      const tokens = tokenize(line.split(' ').slice(2).join(' '));
      assert.ok(tokens.ok);
      const parsed = parseArguments(tokens.value);
      assert.ok(parsed.ok);
      return parsed.value;
    };
    const compare = args(lines[0] ?? '');
    assert.ok(parseComparisonRequest(compare.positional, compare.pairs).ok);
    const targets = lines.slice(2).map((line) => {
      const a = args(line);
      const plan = parsePlanRequest(a.positional, a.pairs);
      assert.ok(plan.ok, line);
      return plan.value.target;
    });
    assert.deepEqual(targets, [0.05, 0.9]);
  });
});
