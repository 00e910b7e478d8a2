/**
 * The comparison form (views.open): task or dataset, model, methods, seeds, steps. A submission
 * becomes the same `compare key=value ...` text a user could type, checked by the core's own
 * request parser first so mistakes show next to the field instead of after the modal closed.
 */
import type { types, ViewStateValue } from '@slack/bolt';
import { METHODS, parseComparisonRequest } from '../../../src/comparison/request';
import { TASK_IDS, TASK_PROFILES } from '../../../src/tasks/profiles';
import { truncate } from '../render/mrkdwn';

export const COMPARE_CALLBACK = 'faceoff:compare';

/** Where the form was opened: the comparison thread goes there. */
export interface CompareOrigin {
  channel: string;
  thread?: string;
}

export interface DatasetChoice {
  id: string;
  name: string;
}

type StateValues = Record<string, Record<string, ViewStateValue>>;

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });
const option = (value: string, label: string) => ({ text: plain(truncate(label, 75)), value });
const LR_SWEEP = option('lr_sweep', 'Tune it per method on the validation split (more runs)');

export function compareModalView(datasets: DatasetChoice[], origin: CompareOrigin): types.ModalView {
  const taskOptions = [
    ...TASK_IDS.map((id) => option(id, `${TASK_PROFILES[id].label} (suite)`)),
    option('all', 'All five suites'),
    ...datasets.slice(0, 90).map((d) => option(d.id, `${d.id}: ${d.name}`)),
  ];
  const methods = METHODS.map((m) =>
    option(m, m === 'full' ? 'Full fine-tuning' : m === 'lora' ? 'LoRA' : 'QLoRA'),
  );
  return {
    type: 'modal',
    callback_id: COMPARE_CALLBACK,
    private_metadata: JSON.stringify(origin),
    title: plain('Compare methods'),
    submit: plain('Queue comparison'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: 'task',
        label: plain('Task suite or dataset'),
        hint: plain('Datasets are JSONL files shared in a Faceoff thread; they get an id like ds-a1b2c3.'),
        element: {
          type: 'static_select',
          action_id: 'value',
          placeholder: plain('Choose a task'),
          options: taskOptions,
        },
      },
      {
        type: 'input',
        block_id: 'model',
        label: plain('Base model'),
        hint: plain(
          'tiny (a small model trained on the CPU), a Hugging Face id (org/name) or a path on the workers.',
        ),
        element: { type: 'plain_text_input', action_id: 'value', initial_value: 'tiny' },
      },
      {
        type: 'input',
        block_id: 'methods',
        label: plain('Methods'),
        element: {
          type: 'checkboxes',
          action_id: 'value',
          options: methods,
          initial_options: methods.slice(0, 2),
        },
      },
      {
        type: 'input',
        block_id: 'seeds',
        label: plain('Seeds per method'),
        element: {
          type: 'static_select',
          action_id: 'value',
          options: [1, 2, 3, 4, 5].map((n) => option(String(n), String(n))),
          initial_option: option('1', '1'),
        },
      },
      {
        type: 'input',
        block_id: 'steps',
        optional: true,
        label: plain('Training steps'),
        hint: plain('Empty: 120 on tiny, 1000 otherwise.'),
        element: {
          type: 'number_input',
          action_id: 'value',
          is_decimal_allowed: false,
          min_value: '1',
          max_value: '100000',
        },
      },
      {
        type: 'input',
        block_id: 'tuning',
        optional: true,
        label: plain('Learning rate'),
        element: { type: 'checkboxes', action_id: 'value', options: [LR_SWEEP], initial_options: [LR_SWEEP] },
      },
    ],
  };
}

export function originOf(privateMetadata: string | undefined): CompareOrigin | undefined {
  try {
    const origin = JSON.parse(privateMetadata ?? '') as CompareOrigin;
    return typeof origin.channel === 'string' ? origin : undefined;
  } catch {
    return undefined;
  }
}

const BLOCK_OF_KEY: Record<string, string> = {
  task: 'task',
  model: 'model',
  methods: 'methods',
  seeds: 'seeds',
  max_steps: 'steps',
  lr_sweep: 'tuning',
};

function quoted(value: string): string | undefined {
  if (!/[\s"']/.test(value)) return value;
  if (!value.includes('"')) return `"${value}"`;
  return value.includes("'") ? undefined : `'${value}'`;
}

export type SubmissionResult = { ok: true; text: string } | { ok: false; errors: Record<string, string> };

/** The form's values as `compare ...` text, or field errors for `response_action: errors`. */
export function commandFromSubmission(values: StateValues): SubmissionResult {
  const field = (block: string) => values[block]?.value;
  const pairs = new Map<string, string>();
  const task = field('task')?.selected_option?.value;
  const model = field('model')?.value?.trim();
  const methods = (field('methods')?.selected_options ?? []).map((o) => o.value);
  const seeds = field('seeds')?.selected_option?.value;
  const steps = field('steps')?.value?.trim();
  if (task) pairs.set('task', task);
  if (model) pairs.set('model', model);
  if (methods.length) pairs.set('methods', methods.join(','));
  if (seeds) pairs.set('seeds', seeds);
  if (steps) pairs.set('max_steps', steps);
  const tuning = field('tuning')?.selected_options?.some((o) => o.value === 'lr_sweep') ?? true;
  pairs.set('lr_sweep', tuning ? 'on' : 'off');
  const errors: Record<string, string> = {};
  if (!methods.length) errors.methods = 'Pick at least one method.';
  const parsed = parseComparisonRequest([], pairs);
  if (!parsed.ok) {
    for (const line of parsed.error.split('\n')) {
      const key = /^(\w+):/.exec(line)?.[1] ?? 'task';
      const block = BLOCK_OF_KEY[key] ?? 'task';
      errors[block] = errors[block] ?? truncate(line.replace(/^\w+:\s*/, ''), 150);
    }
  }
  const words = [...pairs].map(([k, v]) => {
    const value = quoted(v);
    if (value === undefined)
      errors[BLOCK_OF_KEY[k] ?? 'task'] = 'Use either single or double quotes, not both.';
    return `${k}=${value}`;
  });
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, text: ['compare', ...words].join(' ') };
}
