import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandFromSubmission, compareModalView, originOf } from '../../../bots/slack/views/compare-modal';
import { fixture } from './support/slack-requests';

type Values = Parameters<typeof commandFromSubmission>[0];
const submitted = () =>
  fixture<{ view: { state: { values: Values } } }>('view-submission.json').view.state.values;

describe('the comparison form', () => {
  it('turns a recorded submission into the compare command a user could type', () => {
    assert.deepEqual(commandFromSubmission(submitted()), {
      ok: true,
      text: 'compare task=customer_service model=tiny methods=lora,full seeds=1 max_steps=6 lr_sweep=off',
    });
  });

  it('puts each problem next to its field', () => {
    const values = submitted();
    values.model = { value: { type: 'plain_text_input', value: 'no such model' } };
    values.methods = { value: { type: 'checkboxes', selected_options: [] } };
    values.steps = { value: { type: 'number_input', value: '0' } };
    const result = commandFromSubmission(values);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(Object.keys(result.errors).sort(), ['methods', 'model', 'steps']);
    assert.match(result.errors.steps ?? '', /whole number from 1 to 100000/);
  });

  it('lists the suites, all, and the team\u2019s datasets; remembers where it was opened', () => {
    const view = compareModalView([{ id: 'ds-abc123', name: 'support.jsonl' }], {
      channel: 'C1',
      thread: '1.2',
    });
    const task = view.blocks[0] as { element: { options: { value: string }[] } };
    assert.deepEqual(task.element.options.map((o) => o.value).slice(-3), [
      'technical_documentation',
      'all',
      'ds-abc123',
    ]);
    assert.deepEqual(originOf(view.private_metadata), { channel: 'C1', thread: '1.2' });
    assert.equal(originOf('garbage'), undefined);
  });
});
