/** Text typed in a Faceoff thread: questionnaire answers, or `faceoff <subcommand>` lines. */
import type { App } from '@slack/bolt';
import type { MessageEvent } from '../../../src/chat/incoming';
import { claimDelivery, deliveryKeys } from '../delivery-keys';
import type { SlackDeps } from '../deps';
import { handleIncoming } from '../handle-event';
import { slackErrorCode } from '../post/poster';
import { teamOf } from '../refs';
import { faceoffConversation, type ThreadMessageFields, typedText } from './faceoff-thread';

export function registerThreadReply(app: App, deps: SlackDeps): void {
  app.event('message', async ({ event, body, context, client }) => {
    if (event.subtype !== undefined) return;
    const message = event as ThreadMessageFields;
    const team = teamOf(context, body.team_id);
    const conversation = await faceoffConversation(deps, team, message, context.botUserId);
    const text = typedText(message.text ?? '', context.botUserId);
    if (!conversation || !message.user || !text) return;
    const user = message.user;
    await deps.inFlight.track(
      async () => {
        if (!(await claimDelivery(deps.repositories.deliveries, deliveryKeys.event(team, body.event_id))))
          return;
        const incoming: MessageEvent = {
          kind: 'message',
          text,
          conversation,
          user: await deps.users.describe(client, team, user),
          deliveryId: body.event_id,
        };
        await handleIncoming(deps, incoming, { client, conversation, userId: user });
      },
      (e) => deps.log(`slack: a thread message failed: ${slackErrorCode(e) ?? (e as Error).message}`),
    );
  });
}
