import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandFromSubmission, formView, originOf } from '../../../bots/slack/views/command-form';
import { catalogEntry } from '../../../src/commands/catalog';
import type { CommandEntry } from '../../../src/commands/command-entry';
import { TASK_IDS } from '../../../src/tasks/profiles';
import { fixture } from './support/slack-requests';

type Values = Parameters<typeof commandFromSubmission>[1];
const compare = catalogEntry('compare');
const submitted = () =>
  fixture<{ view: { state: { values: Values } } }>('view-submission.json').view.state.values;

describe('command forms', () => {
  it('turns a recorded compare submission into the command a user could type', () => {
    assert.deepEqual(commandFromSubmission(compare, submitted()), {
      ok: true,
      text: 'compare task=customer_service model=tiny methods=lora,full seeds=1 max_steps=6 lr_sweep=off',
    });
  });

  it('puts each problem next to its field', () => {
    const values = submitted();
    values.model = { value: { type: 'plain_text_input', value: '' } };
    values.methods = { value: { type: 'checkboxes', selected_options: [] } };
    values.max_steps = { value: { type: 'number_input', value: '0' } };
    const result = commandFromSubmission(compare, values);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(Object.keys(result.errors).sort(), ['max_steps', 'methods', 'model']);
    assert.match(result.errors.max_steps ?? '', /whole number from 1 to 100000/);
  });

  it('lists the suites, all, and the team\u2019s datasets; remembers the command and where it was opened', () => {
    const view = formView(compare, [{ id: 'ds-abc123', name: 'support.jsonl' }], {
      command: 'compare',
      channel: 'C1',
      thread: '1.2',
    });
    const task = view.blocks[0] as { element: { options: { value: string }[] } };
    assert.deepEqual(
      task.element.options.map((o) => o.value),
      [...TASK_IDS, 'all', 'ds-abc123'],
    );
    assert.deepEqual(originOf(view.private_metadata), { command: 'compare', channel: 'C1', thread: '1.2' });
    assert.equal(originOf('garbage'), undefined);
  });

  it('builds a form for any catalog entry from its option types', () => {
    const entry: CommandEntry = {
      name: 'study',
      summary: 'a made-up study',
      startsGpuWork: true,
      options: [
        {
          name: 'rank',
          description: 'LoRA rank',
          type: 'integer',
          min: 1,
          max: 8,
          defaultValue: '4',
          inForm: true,
        },
        { name: 'steps', description: 'Steps', type: 'integer', min: 1, max: 500, inForm: true },
        { name: 'note', description: 'A note', type: 'string', inForm: true },
        { name: 'fast', description: 'Go fast', type: 'boolean', defaultValue: 'on', inForm: true },
        { name: 'hidden', description: 'Not in forms', type: 'string' },
      ],
    };
    const view = formView(entry, [], { command: 'study', channel: 'C1' });
    const types = view.blocks.map((b) => (b as { element: { type: string } }).element.type);
    assert.deepEqual(types, ['static_select', 'number_input', 'plain_text_input', 'checkboxes']);
    assert.equal(view.submit?.text, 'Queue');
    const result = commandFromSubmission(entry, {
      rank: {
        value: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: '2' }, value: '2' },
        },
      },
      steps: { value: { type: 'number_input', value: '50' } },
      note: { value: { type: 'plain_text_input', value: 'two words' } },
      fast: { value: { type: 'checkboxes', selected_options: [] } },
    });
    assert.deepEqual(result, { ok: true, text: 'study rank=2 steps=50 note="two words" fast=off' });
  });
});
