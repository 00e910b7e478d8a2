import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLearningRatePlanner, paramsFromModelName } from '../../jobs/lr-grid';
import { planComparison } from '../../src/comparison/plan';
import { DEFAULT_STEPS, METHODS, parseComparisonRequest } from '../../src/comparison/request';
import { TASK_IDS } from '../../src/tasks/profiles';

const parse = (pairs: Record<string, string>, positional: string[] = []) =>
  parseComparisonRequest(positional, new Map(Object.entries(pairs)));

describe('parseComparisonRequest', () => {
  it('accepts a suite with defaults', () => {
    const r = parse({ task: 'customer_service', model: 'tiny' });
    assert.ok(r.ok);
    assert.deepEqual(r.value.task, { kind: 'suites', tasks: ['customer_service'] });
    assert.deepEqual(r.value.methods, ['lora', 'full']);
    assert.equal(r.value.seeds, 1);
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

describe('planComparison with the shared learning-rate defaults', () => {
  it('fans out tasks x methods x seeds x learning rates', () => {
    const r = parse({ task: 'customer_service', model: 'tiny', seeds: '2' });
    assert.ok(r.ok);
    const plan = planComparison(r.value, createLearningRatePlanner(), ['customer_service']);
    assert.equal(plan.runs.length, 2 * 2 * 3);
    assert.ok((plan.learningRates.lora?.[1] ?? 0) > (plan.learningRates.full?.[1] ?? 0));
  });
  it('uses one default rate per method with the sweep off', () => {
    const r = parse({ task: 'all', model: 'tiny', lr_sweep: 'off' });
    assert.ok(r.ok);
    const plan = planComparison(
      r.value,
      createLearningRatePlanner(),
      r.value.task.kind === 'suites' ? r.value.task.tasks : [],
    );
    assert.equal(plan.runs.length, TASK_IDS.length * 2);
    assert.equal(plan.lrTuned, false);
  });
  it('sizes models from their names', () => {
    assert.equal(paramsFromModelName('meta-llama/Llama-2-70b-hf'), 70e9);
    assert.equal(paramsFromModelName('tiny'), 1e6);
  });
});
