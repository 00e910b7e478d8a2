/**
 * Commands as people type them in chat: mistyped names get "did you mean", names are read in any
 * case, bare words where pairs belong get the pairs meant, and `key = value` reads as key=value.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseArguments, tokenize } from '../../src/commands/arguments';
import { builtinHandlers } from '../../src/commands/builtin';
import { COMMAND_CATALOG, COMPARE_OPTIONS } from '../../src/commands/catalog';
import { CommandRouter } from '../../src/commands/router';
import { closestNames, didYouMean } from '../../src/commands/suggest';
import { parseCombineRequest, parseComparisonRequest, parsePlanRequest } from '../../src/comparison/request';
import { parseCostArguments } from '../../src/cost/arguments';
import { commandContext } from '../support/command-context';

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

describe('bare words where key=value pairs belong', () => {
  const error = (r: { ok: boolean; error?: string }) => (r.ok ? '' : (r.error ?? ''));

  it('are refused with the pairs they most likely meant', () => {
    assert.match(
      error(parseComparisonRequest(['Customer_Service', 'tiny', 'lora'], new Map())),
      /^"Customer_Service tiny lora": compare takes key=value pairs only; did you mean task=customer_service model=tiny methods=lora\?$/m,
    );
    assert.match(
      error(parseComparisonRequest(['customer_service', 'data_analysis'], pairs({ model: 'tiny' }))),
      /pairs only; did you mean task=customer_service,data_analysis\?$/m,
    );
    // The keys suggested are not also reported missing; the others still are.
    assert.equal(
      error(parseComparisonRequest(['customer_service', 'tiny'], new Map())),
      '"customer_service tiny": compare takes key=value pairs only; did you mean task=customer_service model=tiny?',
    );
    assert.match(error(parseComparisonRequest(['customer_service'], new Map())), /\nmodel: required/);
    assert.doesNotMatch(error(parseComparisonRequest(['customer_service'], new Map())), /task: required/);
  });

  it('get no suggestion when a word is unknown, its key is given, or the command lacks that key', () => {
    for (const [positional, given, parse] of [
      [['customer_service', 'please'], {}, parseComparisonRequest],
      [['tiny'], { model: 'tiny-s', task: 'customer_service' }, parseComparisonRequest],
      [['customer_service', 'lora'], { model: 'tiny' }, parsePlanRequest],
      [[`ds-${'a'.repeat(100)}`], { model: 'tiny' }, parseComparisonRequest],
    ] as const) {
      const e = error(parse([...positional], pairs(given)));
      assert.match(e, /takes key=value pairs only/, positional.join(' '));
      assert.doesNotMatch(
        e,
        /did you mean task|did you mean model|did you mean methods/,
        positional.join(' '),
      );
    }
  });
});

describe('pairs typed with spaces around "="', () => {
  const read = (text: string) => {
    const tokens = tokenize(text);
    assert.ok(tokens.ok);
    return parseArguments(tokens.value);
  };

  it('read as key=value, as people type them in chat', () => {
    for (const text of [
      'task = customer_service model= tiny seeds =2',
      'task=customer_service model =tiny seeds= 2',
      'task="customer_service" model = "tiny" seeds = 2',
    ]) {
      const r = read(text);
      assert.ok(r.ok, text);
      assert.deepEqual(r.value.positional, [], text);
      assert.deepEqual(
        [...r.value.pairs],
        [
          ['task', 'customer_service'],
          ['model', 'tiny'],
          ['seeds', '2'],
        ],
        text,
      );
    }
  });

  it('leave an empty value, a missing key and a word with its own "=" as they were', () => {
    assert.deepEqual(read('seeds= task=x'), {
      ok: false,
      error: 'seeds: no value after "=" (write seeds=VALUE)',
    });
    assert.deepEqual(read('= 3'), { ok: false, error: '"=3" has no key before "="' });
    const r = read('status abc1234 a=b =c');
    assert.ok(!r.ok && /has no key before/.test(r.error));
    const words = read('abc1234');
    assert.ok(words.ok && words.value.positional[0] === 'abc1234');
  });
});

describe('words after a command that takes none', () => {
  const router = new CommandRouter({
    ...builtinHandlers(),
    decide: async () => [],
    jobs: async () => [{ text: 'the jobs' }],
  });
  const base = commandContext();

  it('are refused privately, named, with the usage, instead of being ignored', async () => {
    for (const [text, shown] of [
      ['tasks extra', '"extra": tasks'],
      ['jobs failed', '"failed": jobs'],
      ['jobs team=other', '"team=other": jobs'],
    ] as const) {
      const replies = await router.route(text, base);
      assert.equal(replies.length, 1);
      assert.equal(replies[0]?.ephemeral, true, text);
      assert.equal(replies[0]?.text.split('\n')[0], `${shown} takes nothing after its name.`, text);
      assert.ok(router.answersPrivately(text), text);
    }
    assert.deepEqual(await router.route('jobs', base), [{ text: 'the jobs' }]);
    assert.equal((await router.route('jobs help', base))[0]?.text.startsWith('*/faceoff jobs*'), true);
  });
});

describe('the new readers on hostile text', () => {
  const router = new CommandRouter({ ...builtinHandlers(), decide: async () => [] });
  const said = async (text: string) =>
    (await router.route(text, commandContext(text))).map((r) => r.text).join('\n');

  it('huge or malformed text: a short answer, the typed part as an excerpt, no suggestion from it', async () => {
    const unknown = await said(`help ${'x'.repeat(100_000)}`);
    assert.match(unknown, /^Unknown subcommand "x{40}…"\. Accepted: /);
    assert.ok(unknown.length < 4_000, `${unknown.length} characters`);
    for (const text of [
      `cost ${'= '.repeat(50_000)}`,
      `cost ${'a = '.repeat(30_000)}`,
      `cost ${'k='.repeat(50_000)}`,
    ]) {
      const answer = await said(text);
      assert.ok(answer.length < 1_000, `${text.slice(0, 12)}: ${answer.length} characters`);
    }
    assert.match(await said('help "compare'), /^Could not read the command: unclosed quote/);
    const words = parseComparisonRequest(Array(20_000).fill('help'), new Map());
    assert.ok(!words.ok && words.error.length < 1_000 && !/did you mean/.test(words.error));
  });

  it('joining spaced pairs never makes a pair without a key or a value, whatever the tokens', () => {
    const token = fc.oneof(
      fc.constantFrom('=', '==', 'a', 'a=', '=b', 'k=v', 'task', 'seeds=', '=2', ' ', ''),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 12 }), (tokens) => {
        const r = parseArguments(tokens);
        if (!r.ok) return;
        for (const [key, value] of r.value.pairs)
          assert.ok(key.length > 0 && value.length > 0, JSON.stringify(tokens));
        assert.ok(r.value.positional.length + r.value.pairs.size <= tokens.length);
      }),
      { numRuns: 1_000 },
    );
  });
});
