import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchChoices } from '../../../bots/discord/autocomplete';
import { MessageKeys } from '../../../bots/discord/message-keys';
import { faceoffCommand, listChoices } from '../../../bots/discord/slash-command';
import { COMMAND_CATALOG, catalogEntry } from '../../../src/commands/catalog';
import { optionOf } from '../../../src/commands/command-entry';
import { ConversationEngine } from '../../../src/conversation/engine';
import { COST_INPUT_SPECS } from '../../../src/cost/inputs';
import type { PostedMessageRecord } from '../../../src/persistence/index';
import { TASK_IDS } from '../../../src/tasks/profiles';

type Option = {
  name: string;
  type: number;
  required?: boolean;
  autocomplete?: boolean;
  choices?: { value: string }[];
};

const command = faceoffCommand();
const subcommands = (command.options ?? []) as unknown as { name: string; options?: Option[] }[];
const optionsOf = (name: string) => subcommands.find((s) => s.name === name)?.options ?? [];

describe('/faceoff slash command', () => {
  it('has a subcommand for every catalog command, in catalog order, job commands included', () => {
    const stores = {} as never;
    const engine = new ConversationEngine({
      sessions: stores,
      decisions: stores,
      teams: stores,
      sessionTtlMs: 1,
    });
    const routed = engine.router.entries().map((c) => c.name);
    assert.deepEqual(
      subcommands.map((s) => s.name),
      COMMAND_CATALOG.map((e) => e.name),
    );
    assert.deepEqual(
      routed,
      COMMAND_CATALOG.map((e) => e.name),
    );
    assert.ok(['compare', 'retry', 'quota'].every((name) => routed.includes(name)));
  });

  it('compare: model required with autocomplete, task choices, dataset autocomplete, method choices, typed numbers', () => {
    const options = optionsOf('compare');
    assert.deepEqual(
      options.map((o) => o.name),
      [
        'model',
        'task',
        'dataset',
        'methods',
        'seeds',
        'max_steps',
        'lr_sweep',
        'rank',
        'ranks',
        'alpha',
        'targets',
        'rank_rule',
        'gpus',
        'batch_size',
        'lora_gpu_rate',
        'full_gpu_rate',
      ],
    );
    const byName = Object.fromEntries(options.map((o) => [o.name, o]));
    assert.equal(byName.model?.required, true);
    assert.equal(byName.model?.autocomplete, true);
    assert.equal(byName.dataset?.autocomplete, true);
    assert.deepEqual(
      byName.task?.choices?.map((c) => c.value),
      [...TASK_IDS, 'all'],
    );
    assert.deepEqual(
      byName.methods?.choices?.map((c) => c.value),
      listChoices(
        optionOf(catalogEntry('compare'), 'methods') ?? { name: '', description: '', type: 'list' },
      ),
    );
    assert.equal(byName.methods?.choices?.[0]?.value, 'lora,full', 'the default first');
    assert.equal(byName.task?.required, false, 'a dataset can stand in for the task');
    assert.equal(byName.seeds?.type, 4);
    assert.equal(byName.lr_sweep?.type, 5);
    assert.equal(byName.rank?.type, 4, 'rank is a typed integer');
    assert.equal((byName.rank as { max_value?: number } | undefined)?.max_value, 1024);
    assert.equal(byName.alpha?.type, 10, 'alpha is a typed number');
    assert.deepEqual(
      byName.targets?.choices?.map((c) => c.value),
      ['all', 'attention', 'mlp'],
    );
    assert.deepEqual(
      byName.rank_rule?.choices?.map((c) => c.value),
      ['preset', 'scaled'],
    );
    assert.equal(byName.ranks?.type, 3, 'a rank sweep is typed as text: 4,16,64');
  });

  it('cost: every cost input is a typed option; job commands take an autocompleted job id', () => {
    assert.deepEqual(
      optionsOf('cost').map((o) => o.name),
      ['preset', ...COST_INPUT_SPECS.map((s) => s.key)],
    );
    for (const name of ['status', 'cancel', 'retry']) assert.equal(optionsOf(name)[0]?.required, true);
    assert.equal(optionsOf('results')[0]?.required, false);
    assert.ok(['status', 'cancel', 'retry', 'results'].every((n) => optionsOf(n)[0]?.autocomplete));
  });

  it('fits Discord limits: 25 subcommands and options, names of 32 and descriptions of 100 characters', () => {
    assert.ok(subcommands.length <= 25);
    for (const sub of subcommands) {
      assert.ok((sub.options ?? []).length <= 25, sub.name);
      for (const o of sub.options ?? []) assert.match(o.name, /^[a-z0-9_-]{1,32}$/);
    }
    // Discord counts the characters of every name, description and choice name and value: at most 8000.
    type Counted = {
      name: string;
      description?: string;
      options?: Counted[];
      choices?: { name: string; value: unknown }[];
    };
    const characters = (o: Counted): number =>
      o.name.length +
      (o.description?.length ?? 0) +
      (o.choices ?? []).reduce((sum, c) => sum + c.name.length + String(c.value).length, 0) +
      (o.options ?? []).reduce((sum, x) => sum + characters(x), 0);
    assert.ok(characters(command as unknown as Counted) <= 8000);
  });
});

describe('autocomplete choices', () => {
  const candidates = [
    { name: 'tiny (built-in CPU model)', value: 'tiny' },
    { name: 'org/tiny-llama (used recently)', value: 'org/tiny-llama' },
    { name: 'meta/llama (used recently)', value: 'meta/llama' },
  ];
  it('prefix matches first, then substring matches; at most 25', () => {
    assert.deepEqual(
      matchChoices(candidates, 'ti').map((c) => c.value),
      ['tiny', 'org/tiny-llama'],
    );
    assert.deepEqual(
      matchChoices(candidates, 'LLAMA').map((c) => c.value),
      ['org/tiny-llama', 'meta/llama'],
    );
    assert.equal(matchChoices(candidates, '').length, 3);
    const many = Array.from({ length: 40 }, (_, i) => ({ name: `m${i}`, value: `m${i}` }));
    assert.equal(matchChoices(many, 'm').length, 25);
    assert.equal(
      matchChoices([{ name: 'x', value: 'v'.repeat(101) }], '').length,
      0,
      'values over 100 characters are dropped',
    );
  });
});

describe('message keys', () => {
  it('stores each conversation key in the shared store and reads it back as Discord ids', async () => {
    const rows = new Map<string, PostedMessageRecord>();
    const keys = new MessageKeys({
      get: async (conversation, key) => rows.get(`${conversation}|${key}`),
      remember: async (conversation, key, message) => {
        rows.set(`${conversation}|${key}`, message);
      },
    });
    await keys.set('discord:G:C:T', 'decide-question', { channelId: 'T', messageId: '1', live: true });
    await keys.set('discord:G:C:U', 'decide-question', { channelId: 'U', messageId: '2', live: true });
    await keys.set('discord:G:C:T', 'progress:j', { channelId: 'T', messageId: '3', live: false });
    assert.deepEqual(rows.get('discord:G:C:T|progress:j'), { channel: 'T', messageId: '3', live: false });
    assert.deepEqual(await keys.get('discord:G:C:T', 'decide-question'), {
      channelId: 'T',
      messageId: '1',
      live: true,
    });
    assert.equal((await keys.get('discord:G:C:U', 'decide-question'))?.messageId, '2');
    assert.equal(await keys.get('discord:G:C:U', 'progress:j'), undefined);
  });
});
