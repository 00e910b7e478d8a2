/** The "Compare..." button: opens the comparison form for this thread. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { catalogEntry } from '../../../src/commands/catalog';
import { OPEN_COMPARE_ACTION } from '../commands/thread-roots';
import type { SlackDeps } from '../deps';
import { slackErrorCode } from '../post/poster';
import { slackConversation, teamOf } from '../refs';
import { openCommandForm } from '../views/open-form';

export function registerOpenCompareAction(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(
    OPEN_COMPARE_ACTION,
    async ({ ack, body, client, respond, context }) => {
      await ack();
      const team = teamOf(context, body.team?.id, body.user.team_id);
      const channel = body.channel?.id ?? (body.container.channel_id as string | undefined);
      if (!channel) return;
      await deps.inFlight.track(
        async () => {
          const user = await deps.users.describe(client, team, body.user.id, body.user.username);
          const conversation = slackConversation(team, channel);
          if (!deps.engine.access.mayDispatch(user, conversation)) {
            await respond({
              response_type: 'ephemeral',
              replace_original: false,
              text: deps.engine.access.refusal('`/faceoff compare`', conversation),
            });
            return;
          }
          const thread = (body.message?.thread_ts as string | undefined) ?? body.message?.ts;
          await openCommandForm(deps, client, body.trigger_id, team, catalogEntry('compare'), {
            channel,
            ...(thread ? { thread } : {}),
          });
        },
        (e) =>
          deps.log(`slack: opening the comparison form failed: ${slackErrorCode(e) ?? (e as Error).message}`),
        true,
      );
    },
  );
}
