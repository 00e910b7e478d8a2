/**
 * A Slack form (views.open) for a catalog command: one input per option marked `inForm`, its
 * element chosen by the option's type (selects for choices and small ranges, checkboxes for lists
 * and switches, text and number inputs otherwise). A submission becomes the same `name key=value`
 * text a user could type; the catalog's own checks run first so mistakes show next to the field.
 */
import type { types, ViewStateValue } from '@slack/bolt';
import type { CommandEntry, OptionSpec } from '../../../src/commands/command-entry';
import { readOptions } from '../../../src/commands/option-values';
import { truncate } from '../render/mrkdwn';

export const FORM_CALLBACK = 'faceoff:form';

/** Where the form was opened (its thread goes there) and which command it runs. */
export interface FormOrigin {
  command: string;
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
const SELECT_RANGE = 10;
const ON = 'on';

function element(spec: OptionSpec, datasets: readonly DatasetChoice[]): types.InputBlock['element'] {
  const fallback = spec.defaultValue;
  switch (spec.type) {
    case 'list': {
      const options = (spec.choices ?? []).map((c) => option(c.value, c.label));
      const initial = options.filter((o) => fallback?.split(',').includes(o.value));
      return {
        type: 'checkboxes',
        action_id: 'value',
        options,
        ...(initial.length ? { initial_options: initial } : {}),
      };
    }
    case 'boolean': {
      const box = option(ON, spec.description);
      return {
        type: 'checkboxes',
        action_id: 'value',
        options: [box],
        ...(fallback === 'on' ? { initial_options: [box] } : {}),
      };
    }
    case 'integer':
    case 'number': {
      const { min, max } = spec;
      if (spec.type === 'integer' && min !== undefined && max !== undefined && max - min < SELECT_RANGE) {
        const options = Array.from({ length: max - min + 1 }, (_, i) =>
          option(String(min + i), String(min + i)),
        );
        const initial = options.find((o) => o.value === fallback);
        return {
          type: 'static_select',
          action_id: 'value',
          options,
          ...(initial ? { initial_option: initial } : {}),
        };
      }
      return {
        type: 'number_input',
        action_id: 'value',
        is_decimal_allowed: spec.type === 'number',
        ...(min !== undefined ? { min_value: String(min) } : {}),
        ...(max !== undefined ? { max_value: String(max) } : {}),
        ...(fallback ? { initial_value: fallback } : {}),
      };
    }
    case 'string': {
      const choices = [
        ...(spec.choices ?? []).map((c) => option(c.value, c.label)),
        ...(spec.autocomplete === 'dataset' || spec.choices
          ? datasets.slice(0, 90).map((d) => option(d.id, `${d.id}: ${d.name}`))
          : []),
      ];
      if (spec.choices)
        return {
          type: 'static_select',
          action_id: 'value',
          placeholder: plain('Choose'),
          options: choices.slice(0, 100),
        };
      return {
        type: 'plain_text_input',
        action_id: 'value',
        ...(fallback ? { initial_value: fallback } : {}),
      };
    }
  }
}

export function formView(
  entry: CommandEntry,
  datasets: readonly DatasetChoice[],
  origin: FormOrigin,
): types.ModalView {
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK,
    private_metadata: JSON.stringify(origin),
    title: plain(truncate(`Faceoff ${entry.name}`, 24)),
    submit: plain(entry.startsGpuWork ? 'Queue' : 'Run'),
    close: plain('Cancel'),
    blocks: entry.options
      .filter((o) => o.inForm)
      .map(
        (o): types.InputBlock => ({
          type: 'input',
          block_id: o.name,
          optional: !o.required,
          label: plain(truncate(o.description, 2000)),
          element: element(o, datasets),
        }),
      ),
  };
}

export function originOf(privateMetadata: string | undefined): FormOrigin | undefined {
  try {
    const origin = JSON.parse(privateMetadata ?? '') as FormOrigin;
    return typeof origin.channel === 'string' && typeof origin.command === 'string' ? origin : undefined;
  } catch {
    return undefined;
  }
}

function quoted(value: string): string | undefined {
  if (!/[\s"']/.test(value)) return value;
  if (!value.includes('"')) return `"${value}"`;
  return value.includes("'") ? undefined : `'${value}'`;
}

export type SubmissionResult = { ok: true; text: string } | { ok: false; errors: Record<string, string> };

/** The form's values as command text, or field errors for `response_action: errors`. */
export function commandFromSubmission(entry: CommandEntry, values: StateValues): SubmissionResult {
  const pairs = new Map<string, string>();
  const errors: Record<string, string> = {};
  for (const spec of entry.options.filter((o) => o.inForm)) {
    const field = values[spec.name]?.value;
    const selected = (field?.selected_options ?? []).map((o) => o.value);
    const text =
      spec.type === 'list'
        ? selected.join(',')
        : spec.type === 'boolean'
          ? selected.includes(ON)
            ? 'on'
            : 'off'
          : (field?.selected_option?.value ?? field?.value?.trim() ?? '');
    if (text) pairs.set(spec.name, text);
    else if (spec.required || spec.type === 'list')
      errors[spec.name] = spec.type === 'list' ? 'Pick at least one.' : 'Required.';
  }
  for (const line of readOptions(entry, { positional: [], pairs }).errors) {
    const key = /^(\w+):/.exec(line)?.[1] ?? '';
    if (key && !errors[key]) errors[key] = truncate(line.replace(/^\w+:\s*/, ''), 150);
  }
  const words = [...pairs].map(([k, v]) => {
    const value = quoted(v);
    if (value === undefined) errors[k] = 'Use either single or double quotes, not both.';
    return `${k}=${value}`;
  });
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, text: [entry.name, ...words].join(' ') };
}
