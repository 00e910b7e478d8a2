/** The "Compare..." button: opens the comparison form for this thread. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { OPEN_COMPARE_ACTION } from '../commands/thread-roots';
import type { SlackDeps } from '../deps';
import { slackErrorCode } from '../post/poster';
import { teamOf } from '../refs';
import { openCompareModal } from '../views/open-compare-modal';

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
          if (!(await deps.permission.allows(client, team, body.user.id))) {
            await respond({
              response_type: 'ephemeral',
              replace_original: false,
              text: deps.permission.refusal(),
            });
            return;
          }
          const thread = (body.message?.thread_ts as string | undefined) ?? body.message?.ts;
          await openCompareModal(deps, client, body.trigger_id, team, {
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
