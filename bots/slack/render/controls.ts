/**
 * Neutral buttons and selects as Block Kit actions. Slack wants every action_id unique within a
 * block, while the core gives all answers of a question one action id: each element gets
 * `<actionId>#<n>` and `neutralActionId` strips the suffix again.
 */
import type { types } from '@slack/bolt';
import type { Button, Reply, Select } from '../../../src/chat/replies';
import { truncate } from './mrkdwn';

type SlackButton = types.Button;
type StaticSelect = types.StaticSelect;
type ActionsBlock = types.ActionsBlock;

/** More answers than this become a static select instead of a row of buttons. */
export const MAX_ANSWER_BUTTONS = 5;
const MAX_ELEMENTS = 25;
const MAX_OPTIONS = 100;

export function elementActionId(actionId: string, index: number): string {
  return `${actionId}#${index}`;
}

export function neutralActionId(slackActionId: string): string {
  return slackActionId.replace(/#\d+$/, '');
}

function button(b: Button, index: number): SlackButton {
  return {
    type: 'button',
    action_id: elementActionId(b.actionId, index),
    text: { type: 'plain_text', text: truncate(b.label, 75), emoji: true },
    value: truncate(b.value, 2000),
    ...(b.style ? { style: b.style } : {}),
  };
}

function staticSelect(select: Select, index: number): StaticSelect {
  return {
    type: 'static_select',
    action_id: elementActionId(select.actionId, index),
    placeholder: { type: 'plain_text', text: truncate(select.placeholder, 150), emoji: true },
    options: select.options.slice(0, MAX_OPTIONS).map((o) => ({
      text: { type: 'plain_text', text: truncate(o.label, 75), emoji: true },
      value: truncate(o.value, 150),
    })),
  };
}

/**
 * Groups buttons by action id: a group larger than MAX_ANSWER_BUTTONS turns into one static select
 * (the questionnaire's task question), the rest stay buttons in their original order.
 */
export function controlElements(reply: Pick<Reply, 'buttons' | 'select'>): (SlackButton | StaticSelect)[] {
  const buttons = reply.buttons ?? [];
  const sizes = new Map<string, number>();
  for (const b of buttons) sizes.set(b.actionId, (sizes.get(b.actionId) ?? 0) + 1);
  const elements: (SlackButton | StaticSelect)[] = [];
  const selected = new Set<string>();
  buttons.forEach((b, i) => {
    if ((sizes.get(b.actionId) ?? 0) <= MAX_ANSWER_BUTTONS) {
      elements.push(button(b, i));
      return;
    }
    if (selected.has(b.actionId)) return;
    selected.add(b.actionId);
    const options = buttons
      .filter((o) => o.actionId === b.actionId)
      .map((o) => ({ value: o.value, label: o.label }));
    elements.push(staticSelect({ actionId: b.actionId, placeholder: 'Choose an answer', options }, i));
  });
  if (reply.select) elements.push(staticSelect(reply.select, buttons.length));
  return elements;
}

/** The reply's controls as actions blocks of at most 25 elements each. */
export function actionBlocks(
  reply: Pick<Reply, 'buttons' | 'select'>,
  extra: SlackButton[] = [],
): ActionsBlock[] {
  const elements = [...controlElements(reply), ...extra];
  const blocks: ActionsBlock[] = [];
  for (let i = 0; i < elements.length; i += MAX_ELEMENTS) {
    blocks.push({ type: 'actions', elements: elements.slice(i, i + MAX_ELEMENTS) });
  }
  return blocks;
}
