/**
 * Adapters defer an interaction privately when the router says beforehand that its answer will be
 * private (Discord cannot make a public deferral private later): on any text, that promise holds.
 * That any text gets an answer that says something is asserted through the engine, with access
 * rules, in test/access/dispatch-permission.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { builtinHandlers } from '../../src/commands/builtin';
import { CommandRouter } from '../../src/commands/router';
import { parseComparisonRequest } from '../../src/comparison/request';
import { commandContext } from '../support/command-context';

const router = new CommandRouter({ ...builtinHandlers(), decide: async () => [{ text: 'decided' }] });
const context = (text: string) => commandContext(text);

/** Command words, options and the characters that break naive readers, mixed with random text. */
const fragments = fc.constantFrom(
  'tasks',
  'cost',
  'help',
  'compare',
  'decide',
  'plan',
  'combine',
  'quota',
  'results',
  'status',
  'cancel',
  'preset=article',
  'months=6',
  'months=6 months=7',
  'task=customer_service',
  'task="customer_service',
  'model=tiny',
  'seeds=',
  'gpu_hours=1e309',
  'months=-0',
  'rank=NaN',
  '"',
  "'",
  '=',
  '--',
  '\\',
  '‘',
  '”',
  '\u200b',
  '\u0000',
  '\n',
  '<@U1>',
  'x'.repeat(5000),
);
const anyText = fc
  .array(fc.oneof(fragments, fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), {
    maxLength: 8,
  })
  .map((parts) => parts.join(' '));

describe('the command router on any text', () => {
  it('answers privately whenever it said beforehand that it would', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (text) => {
        const replies = await router.route(text, context(text));
        assert.ok(replies.length >= 1, JSON.stringify(text));
        if (router.answersPrivately(text))
          assert.ok(
            replies.every((r) => r.ephemeral),
            `${JSON.stringify(text)} was to be answered privately`,
          );
      }),
      { numRuns: 500 },
    );
  });
});

describe('what the user typed, quoted back in an error', () => {
  const long = 'k'.repeat(100_000);

  it('is a short excerpt, however long the key or value was', async () => {
    for (const text of [
      `cost ${long}=1`,
      `cost months=${'9'.repeat(100_000)}x`,
      `cost lora_gpu_hours=${long}`,
      `cost ${long}=`,
      `cost ${long}=1 ${long}=2`,
      `cost =${long}`,
      `cost preset=${long}`,
    ]) {
      const replies = await router.route(text, context(text));
      const said = replies.map((r) => r.text).join('\n');
      assert.ok(said.length < 1500, `${text.slice(0, 30)}…: ${said.length} characters`);
      assert.match(said, /kkk…|999…/, text.slice(0, 30));
    }
    const compare = parseComparisonRequest(
      [],
      new Map([
        ['task', 'customer_service'],
        ['model', 'tiny'],
        [long, '1'],
      ]),
    );
    assert.equal(compare.ok, false);
    assert.ok(!compare.ok && compare.error.length < 600, 'compare: an unknown key as an excerpt');
  });
});
