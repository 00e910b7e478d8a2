import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinHandlers } from '../../src/commands/builtin';
import { CommandRouter } from '../../src/commands/router';
import { commandContext } from '../support/command-context';

describe('which commands are answered privately before anything runs', () => {
  const router = new CommandRouter({ ...builtinHandlers(), decide: async () => [] });

  it('help, an unknown subcommand, unreadable text and refused arguments: private', () => {
    for (const text of [
      '',
      'help',
      '--help',
      'nonsense',
      'compare task="customer_service',
      'compare task=customer_service task=code_generation',
      'cost months=6 months=7',
    ])
      assert.equal(router.answersPrivately(text), true, text);
  });

  it('a command whose arguments read well: not known, so not private', () => {
    for (const text of [
      'tasks',
      'cost preset=article',
      // Refused by the cost model when it runs, not by the router: not known beforehand.
      'cost months=40',
      'cost colour=blue',
      'decide we have $5k and two weeks',
      'compare task=customer_service model=tiny seeds=2',
      // The comparison request is checked by its handler (ranges, unknown keys): not known beforehand.
      'compare task=customer_service model=tiny max_steps=0',
    ])
      assert.equal(router.answersPrivately(text), false, text);
  });

  it('answers privately exactly when the router answers with private replies only', async () => {
    const base = commandContext();
    for (const text of ['help', 'nonsense', 'cost months=6 months=7', 'compare task=a task=b'])
      for (const reply of await router.route(text, base)) assert.equal(reply.ephemeral, true, text);
  });
});

describe('answersPrivately on hostile text', () => {
  const router = new CommandRouter({ ...builtinHandlers(), decide: async () => [] });

  it('a disguised subcommand is judged as the router will run it', () => {
    for (const text of ['"compare" task=customer_service model=tiny', "'tasks'", 'TASKS', '\u200btasks'])
      assert.equal(
        router.answersPrivately(text),
        router.entryOf(text) === undefined,
        `${JSON.stringify(text)}: private exactly when it names no command`,
      );
  });

  it('huge or malformed text is answered without throwing', () => {
    const huge = `cost ${'months=6 '.repeat(20_000)}`;
    assert.equal(router.answersPrivately(huge), true, 'repeated keys are refused before anything runs');
    assert.equal(
      router.answersPrivately(`cost lora_gpu_hours=${'9'.repeat(100_000)}`),
      false,
      'a readable command with a long argument',
    );
    assert.equal(
      router.answersPrivately(`tasks ${'x'.repeat(100_000)}`),
      true,
      'words after a command that takes none are refused before anything runs',
    );
    for (const text of ['\u0000', '"', '\\', 'cost months="6', `${'"'.repeat(10_001)}`, 'compare\ntask=a'])
      assert.equal(typeof router.answersPrivately(text), 'boolean', JSON.stringify(text.slice(0, 20)));
  });
});
