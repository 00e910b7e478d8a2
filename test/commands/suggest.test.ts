import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { COMMAND_CATALOG, COMPARE_OPTIONS } from '../../src/commands/catalog';
import { closestNames, didYouMean } from '../../src/commands/suggest';
import { parseCombineRequest, parseComparisonRequest } from '../../src/comparison/request';
import { parseCostArguments } from '../../src/cost/arguments';

const COMPARE_KEYS = COMPARE_OPTIONS.filter((o) => !o.sendsAs).map((o) => o.name);
const COMMANDS = COMMAND_CATALOG.map((e) => e.name);
const pairs = (o: Record<string, string>) => new Map(Object.entries(o));

describe('did you mean', () => {
  it('finds what people mistype', () => {
    const cases: [string, readonly string[], string[]][] = [
      ['seed', COMPARE_KEYS, ['seeds']],
      ['method', COMPARE_KEYS, ['methods']],
      ['gpu', COMPARE_KEYS, ['gpus']],
      ['steps', COMPARE_KEYS, ['max_steps']],
      ['max-steps', COMPARE_KEYS, ['max_steps']],
      ['MaxSteps', COMPARE_KEYS, ['max_steps']],
      ['batch', COMPARE_KEYS, ['batch_size']],
      ['sweep', COMPARE_KEYS, ['lr_sweep']],
      ['comapre', COMMANDS, ['compare']],
      ['stauts', COMMANDS, ['status']],
      ['result', COMMANDS, ['results']],
      ['lroa', ['lora', 'full', 'qlora'], ['lora']],
      ['customer service', ['customer_service', 'code_generation'], ['customer_service']],
      ['gpu_hour', ['full_gpu_hours', 'lora_gpu_hours', 'months'], ['full_gpu_hours', 'lora_gpu_hours']],
    ];
    for (const [typed, names, expected] of cases)
      assert.deepEqual(closestNames(typed, names), expected, typed);
  });

  it('suggests nothing for text far from every name, too short, too long, or held by many names', () => {
    for (const typed of ['colour', 'x', '', '   ', 'r'.repeat(41), 'seeds'.repeat(20), 'zzzzzzzz'])
      assert.deepEqual(closestNames(typed, COMPARE_KEYS), [], typed);
    // A short word with another first letter is more likely another name than a typo: DoRA is not LoRA.
    assert.deepEqual(closestNames('dora', ['lora', 'full', 'qlora']), []);
    const rates = ['full_gpu_rate', 'lora_gpu_rate', 'eng_rate', 'storage_rate', 'memory_rate'];
    assert.deepEqual(closestNames('rate', rates), []);
  });

  it('only ever offers accepted names, never the typed text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (typed) => {
        for (const name of closestNames(typed, COMPARE_KEYS)) assert.ok(COMPARE_KEYS.includes(name));
        const hint = didYouMean(typed, COMPARE_KEYS);
        assert.ok(
          hint === '' || /^; did you mean [a-z_]+( or [a-z_]+|(, [a-z_]+)+ or [a-z_]+)?\?$/.test(hint),
          hint,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('is part of the errors for keys, choices and task names, which still list what is accepted', () => {
    const r = parseComparisonRequest(
      [],
      pairs({ task: 'custmer_service', model: 'tiny', steps: '5', methods: 'lora,fll', targets: 'atention' }),
    );
    assert.equal(r.ok, false);
    const lines = r.ok ? [] : r.error.split('\n');
    assert.ok(
      lines.includes(
        'steps: unknown key; did you mean max_steps? (accepted: task, model, methods, seeds, max_steps, lr_sweep, rank, ranks, alpha, targets, rank_rule, gpus, batch_size, lora_gpu_rate, full_gpu_rate)',
      ),
      lines.join('\n'),
    );
    assert.ok(lines.includes('methods: unknown "fll"; did you mean full? (accepted: lora, full, qlora)'));
    assert.ok(
      lines.includes(
        'targets: "atention" is not accepted; expected one of all, attention, mlp; did you mean attention?',
      ),
    );
    assert.ok(
      lines.some((l) =>
        /^task: "custmer_service" is not a task suite .*; did you mean customer_service\?$/.test(l),
      ),
    );

    const cost = parseCostArguments(pairs({ preset: 'artcle', lora_gpu_hour: '3' }));
    assert.equal(
      cost.ok ? '' : cost.error,
      'preset: unknown preset "artcle"; did you mean article? (accepted: article)',
    );
    const key = parseCostArguments(pairs({ lora_gpu_hour: '3' }));
    assert.match(
      key.ok ? '' : key.error,
      /^lora_gpu_hour: unknown key; did you mean lora_gpu_hours\? \(accepted: preset, /,
    );

    const combine = parseCombineRequest([], pairs({ task: 'customer-servce', model: 'tiny' }));
    assert.match(combine.ok ? '' : combine.error, /; did you mean customer_service\?$/m);
    // A dataset id that is malformed is not a misspelt suite.
    const dataset = parseComparisonRequest([], pairs({ task: 'ds-customer_service', model: 'tiny' }));
    assert.doesNotMatch(dataset.ok ? '' : dataset.error, /did you mean/);
  });

  it('takes suite, built-in model and preset names in any case, as it takes other choices', () => {
    const compare = parseComparisonRequest(
      [],
      pairs({ task: 'Customer_Service,DATA_ANALYSIS', model: 'tiny' }),
    );
    assert.ok(compare.ok);
    assert.deepEqual(compare.value.task, { kind: 'suites', tasks: ['customer_service', 'data_analysis'] });
    const all = parseComparisonRequest([], pairs({ task: 'All', model: 'tiny' }));
    assert.ok(all.ok && all.value.task.kind === 'suites' && all.value.task.tasks.length === 5);
    const combine = parseCombineRequest([], pairs({ task: 'Customer_Service', model: 'tiny' }));
    assert.ok(combine.ok);
    assert.deepEqual(combine.value.task, { kind: 'suites', tasks: ['customer_service'] });
    const models = parseComparisonRequest([], pairs({ task: 'customer_service', model: 'TINY,Tiny-S' }));
    assert.ok(models.ok);
    assert.deepEqual([models.value.model, models.value.models], ['tiny', ['tiny', 'tiny-s']]);
    // A hub id keeps its case.
    const hub = parseComparisonRequest(
      [],
      pairs({ task: 'customer_service', model: 'HuggingFaceTB/SmolLM2-135M' }),
    );
    assert.ok(hub.ok && hub.value.model === 'HuggingFaceTB/SmolLM2-135M');
    const cost = parseCostArguments(pairs({ preset: ' Article ' }));
    assert.ok(cost.ok && cost.value.preset === 'article');
  });
});
