import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandText, quoteArgument } from '../../../bots/discord/command-text';
import { parseArguments, tokenize } from '../../../src/commands/arguments';
import { parseComparisonRequest } from '../../../src/comparison/request';

describe('slash options as router text', () => {
  it('compare: typed options become key=value pairs the router parses', () => {
    const text = commandText('compare', [
      { name: 'model', value: 'meta-llama/Llama-3.2-1B' },
      { name: 'task', value: 'customer_service' },
      { name: 'methods', value: 'lora,full' },
      { name: 'seeds', value: 3 },
      { name: 'lr_sweep', value: false },
      { name: 'max_steps', value: undefined },
    ]);
    assert.ok(text.ok);
    assert.equal(
      text.value,
      'compare model=meta-llama/Llama-3.2-1B task=customer_service methods=lora,full seeds=3 lr_sweep=off',
    );
    const tokens = tokenize(text.value.replace(/^compare /, ''));
    assert.ok(tokens.ok);
    const args = parseArguments(tokens.value);
    assert.ok(args.ok);
    const request = parseComparisonRequest(args.value.positional, args.value.pairs);
    assert.ok(request.ok, request.ok ? '' : request.error);
    assert.equal(request.value.seeds, 3);
    assert.equal(request.value.lrSweep, false);
  });

  it('compare: a dataset is the task; both at once is refused', () => {
    const text = commandText('compare', [
      { name: 'model', value: 'tiny' },
      { name: 'dataset', value: 'ds-k3x9qp' },
    ]);
    assert.deepEqual(text, { ok: true, value: 'compare model=tiny task=ds-k3x9qp' });
    const both = commandText('compare', [
      { name: 'task', value: 'all' },
      { name: 'dataset', value: 'ds-k3x9qp' },
    ]);
    assert.equal(both.ok, false);
  });

  it('job ids are positional; paths with spaces are quoted', () => {
    assert.deepEqual(commandText('status', [{ name: 'job', value: 'k3x9qpa' }]), {
      ok: true,
      value: 'status k3x9qpa',
    });
    assert.deepEqual(commandText('results', []), { ok: true, value: 'results' });
    assert.equal(quoteArgument('./my models/base'), '"./my models/base"');
    assert.equal(quoteArgument('say "hi" now'), `'say "hi" now'`);
    const tokens = tokenize(`model=${quoteArgument('./my models/base')}`);
    assert.deepEqual(tokens, { ok: true, value: ['model=./my models/base'] });
  });
});
