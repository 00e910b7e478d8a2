/**
 * Buttons and selects the core asked for (questionnaire answers and navigation, job controls) as
 * neutral choice events. A question message takes one answer: a second click, or Slack delivering
 * the click again, is dropped, so a double click never answers the next question too.
 */
import type { App, BlockAction, BlockElementAction, RespondFn, webApi } from '@slack/bolt';
import type { ChoiceEvent } from '../../../src/chat/incoming';
import { claimDelivery, deliveryKeys } from '../delivery-keys';
import type { SlackDeps } from '../deps';
import { handleIncoming } from '../handle-event';
import { slackErrorCode } from '../post/poster';
import { slackConversation, teamOf } from '../refs';
import { neutralActionId } from '../render/controls';

/** Every action id except the adapter's own (`slack:` prefix). */
const CORE_ACTIONS = /^(?!slack:)/;

function chosenValue(action: BlockElementAction): string | undefined {
  if (action.type === 'button') return action.value;
  if (action.type === 'static_select') return action.selected_option?.value;
  return undefined;
}

interface ChoiceRequest {
  body: BlockAction;
  action: BlockElementAction;
  team: string;
  client: webApi.WebClient;
  respond: RespondFn;
}

export function registerChoiceAction(app: App, deps: SlackDeps): void {
  app.action<BlockAction>(
    { type: 'block_actions', action_id: CORE_ACTIONS },
    async ({ ack, body, action, client, respond, context }) => {
      await ack();
      const request = {
        body,
        action,
        team: teamOf(context, body.team?.id, body.user.team_id),
        client,
        respond,
      };
      await deps.inFlight.track(
        () => handleChoice(deps, request),
        (e) => deps.log(`slack: an action failed: ${slackErrorCode(e) ?? (e as Error).message}`),
      );
    },
  );
}

async function handleChoice(
  deps: SlackDeps,
  { body, action, team, client, respond }: ChoiceRequest,
): Promise<void> {
  const value = chosenValue(action);
  const channel = body.channel?.id ?? (body.container.channel_id as string | undefined);
  const messageTs = body.message?.ts ?? (body.container.message_ts as string | undefined);
  if (value === undefined || !channel || !messageTs) return;
  const actionId = neutralActionId(action.action_id);
  const key = actionId.startsWith('decide:')
    ? deliveryKeys.questionMessage(team, channel, messageTs)
    : deliveryKeys.control(team, channel, messageTs, actionId, value);
  if (!(await claimDelivery(deps.repositories.deliveries, key))) return;
  const user = await deps.users.describe(client, team, body.user.id, body.user.username);
  const thread =
    (body.message?.thread_ts as string | undefined) ?? (body.container.thread_ts as string | undefined);
  const conversation = slackConversation(team, channel, thread);
  const event: ChoiceEvent = {
    kind: 'choice',
    actionId,
    value,
    messageRef: messageTs,
    conversation,
    user,
    deliveryId: `${messageTs}:${action.action_ts}`,
  };
  await handleIncoming(deps, event, {
    client,
    conversation,
    userId: user.id,
    respond,
    pressedMessageTs: messageTs,
  });
}
