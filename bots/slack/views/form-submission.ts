/**
 * A submitted command form: field errors go back into the form; otherwise the form closes and the
 * command text runs exactly like the slash command, in a new thread (or the thread the form was
 * opened from).
 */
import type { App, ViewSubmitAction, webApi } from '@slack/bolt';
import type { UserRef } from '../../../src/chat/incoming';
import { catalogEntry } from '../../../src/commands/catalog';
import { markNotQueued, startThread, workRoot } from '../commands/thread-roots';
import { claimDelivery, deliveryKeys } from '../delivery-keys';
import type { SlackDeps } from '../deps';
import { handleIncoming } from '../handle-event';
import { slackErrorCode } from '../post/poster';
import { slackConversation, teamOf } from '../refs';
import { commandFromSubmission, FORM_CALLBACK, type FormOrigin, originOf } from './command-form';

interface Submission {
  viewId: string;
  team: string;
  user: { id: string; name: string };
  origin: FormOrigin;
  text: string;
  client: webApi.WebClient;
}

export function registerFormSubmission(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(FORM_CALLBACK, async ({ ack, body, view, client, context }) => {
    const origin = originOf(view.private_metadata);
    if (!origin) {
      await ack();
      return;
    }
    const result = commandFromSubmission(catalogEntry(origin.command), view.state.values);
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: result.errors });
      return;
    }
    await ack();
    const team = teamOf(context, body.team?.id, view.team_id);
    const submission = {
      viewId: view.id,
      team,
      user: { id: body.user.id, name: body.user.name },
      origin,
      text: result.text,
      client,
    };
    await deps.inFlight.track(
      () => runSubmission(deps, submission),
      (e) => deps.log(`slack: a ${origin.command} form failed: ${slackErrorCode(e) ?? (e as Error).message}`),
    );
  });
}

async function runSubmission(
  deps: SlackDeps,
  { viewId, team, user: who, origin, text, client }: Submission,
): Promise<void> {
  if (!(await claimDelivery(deps.repositories.deliveries, deliveryKeys.view(team, viewId)))) return;
  const user: UserRef = await deps.users.describe(client, team, who.id, who.name);
  const thread =
    origin.thread ?? (await startThread(deps, client, team, origin.channel, workRoot(user.id, text)));
  const conversation = slackConversation(team, origin.channel, thread);
  const replies = await handleIncoming(
    deps,
    { kind: 'command', text, conversation, user, deliveryId: viewId },
    { client, conversation, userId: user.id },
  );
  if (!origin.thread && !replies.some((r) => !r.ephemeral))
    await markNotQueued(client, origin.channel, thread, user.id, text);
}
