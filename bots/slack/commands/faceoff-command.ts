/**
 * `/faceoff <subcommand>`: acknowledged at once (Slack allows 3 seconds), then handled. `decide` and
 * `compare` open a thread under a new channel message, so answers typed there and job notices find
 * the same conversation; `compare` without arguments opens the form; the rest answer in the channel,
 * help and errors only to the user.
 */
import type { App, RespondFn, SlashCommand, webApi } from '@slack/bolt';
import type { IncomingEvent } from '../../../src/chat/incoming';
import type { CommandEntry } from '../../../src/commands/command-entry';
import { claimDelivery, deliveryKeys } from '../delivery-keys';
import type { SlackDeps } from '../deps';
import { handleIncoming } from '../handle-event';
import { slackErrorCode } from '../post/poster';
import { slackConversation, teamOf } from '../refs';
import { hasForm, openCommandForm } from '../views/open-form';
import { markNotQueued, startThread, threadRoot } from './thread-roots';

interface CommandRequest {
  command: SlashCommand;
  team: string;
  client: webApi.WebClient;
  respond: RespondFn;
}

export function registerFaceoffCommand(app: App, deps: SlackDeps): void {
  app.command(/^\/faceoff/, async ({ command, ack, respond, client, context }) => {
    const received = performance.now();
    await ack();
    deps.metrics?.acknowledged('slack', 'slash_command', (performance.now() - received) / 1000);
    const request = { command, team: teamOf(context, command.team_id), client, respond };
    // Opening the form must happen within the trigger's 3 seconds: it skips the queue.
    const opensForm = formOf(deps, command.text) !== undefined;
    await deps.inFlight.track(
      () => handleCommand(deps, request),
      (e) => deps.log(`slack: /faceoff failed: ${slackErrorCode(e) ?? (e as Error).message}`),
      opensForm,
    );
  });
}

/** A command with a form, typed with nothing after it, opens the form instead of running. */
function formOf(deps: SlackDeps, text: string): CommandEntry | undefined {
  const parsed = deps.engine.router.parse(text);
  const bare =
    parsed.kind === 'command' &&
    parsed.args.ok &&
    parsed.args.value.positional.length === 0 &&
    parsed.args.value.pairs.size === 0;
  return bare && hasForm(parsed.entry) ? parsed.entry : undefined;
}

async function handleCommand(
  deps: SlackDeps,
  { command, team, client, respond }: CommandRequest,
): Promise<void> {
  if (!(await claimDelivery(deps.repositories.deliveries, deliveryKeys.command(team, command.trigger_id))))
    return;
  const text = command.text.trim();
  const entry = deps.engine.router.entryOf(text);
  const user = await deps.users.describe(client, team, command.user_id, command.user_name);
  const channel = slackConversation(team, command.channel_id);
  const event = (conversation = channel): IncomingEvent => ({
    kind: 'command',
    text,
    conversation,
    user,
    deliveryId: command.trigger_id,
  });
  const target = { client, conversation: channel, userId: user.id, respond };

  if (entry?.startsGpuWork && !deps.engine.access.mayDispatch(user, channel)) {
    // Refused before a thread is started; the core refuses the same command again on its own.
    await respond({
      response_type: 'ephemeral',
      text: deps.engine.access.refusal(`\`/faceoff ${entry.name}\``, channel),
    });
    return;
  }
  const form = formOf(deps, text);
  if (form) {
    await openCommandForm(deps, client, command.trigger_id, team, form, { channel: command.channel_id });
    return;
  }
  if (!entry?.opensThread) {
    await handleIncoming(deps, event(), target);
    return;
  }
  let root: string;
  try {
    root = await startThread(deps, client, team, command.channel_id, threadRoot(entry, user.id, text));
  } catch (e) {
    const code = slackErrorCode(e);
    if (code !== 'not_in_channel' && code !== 'channel_not_found') throw e;
    await respond({
      response_type: 'ephemeral',
      text: 'Faceoff cannot start a thread here: invite it to this channel first (`/invite @Faceoff`), or use a public channel.',
    });
    return;
  }
  const conversation = slackConversation(team, command.channel_id, root);
  const replies = await handleIncoming(deps, event(conversation), { ...target, conversation });
  if (entry.startsGpuWork && !replies.some((r) => !r.ephemeral))
    await markNotQueued(client, command.channel_id, root, user.id, text);
}
