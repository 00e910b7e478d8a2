/**
 * A file shared in a Faceoff thread (a `file_share` message): each file is looked up with
 * files.info (the event's copy may be partial), handed to the core as a file event whose download
 * streams it with the bot token into the file the core names; the core validates a JSONL dataset and registers it, or lists
 * its errors by line.
 */
import type { App, webApi } from '@slack/bolt';
import type { FileEvent } from '../../../src/chat/incoming';
import { claimDelivery, deliveryKeys } from '../delivery-keys';
import type { SlackDeps } from '../deps';
import { handleIncoming } from '../handle-event';
import { slackErrorCode } from '../post/poster';
import { teamOf } from '../refs';
import { faceoffConversation, type ThreadMessageFields, typedText } from './faceoff-thread';
import { downloadSlackFile, FileDownloadError } from './file-download';

interface SharedFileFields {
  id: string;
  name?: string;
  size?: number;
  mimetype?: string;
  url_private?: string;
  url_private_download?: string;
}

async function describeFile(client: webApi.WebClient, id: string): Promise<SharedFileFields> {
  const info = await client.files.info({ file: id });
  const file = info.file as SharedFileFields | undefined;
  if (!file) throw new Error(`files.info returned no file for ${id}`);
  return { ...file, id };
}

export function registerFileShare(app: App, deps: SlackDeps): void {
  app.event('message', async ({ event, body, context, client }) => {
    if (event.subtype !== 'file_share') return;
    const message = event as ThreadMessageFields & { files?: { id: string }[] };
    const team = teamOf(context, body.team_id);
    const conversation = await faceoffConversation(deps, team, message, context.botUserId);
    const token = context.botToken;
    if (!conversation || !message.user || !token || !message.files?.length) return;
    const user = message.user;
    const files = message.files;
    await deps.inFlight.track(
      async () => {
        if (!(await claimDelivery(deps.repositories.deliveries, deliveryKeys.event(team, body.event_id))))
          return;
        const userRef = await deps.users.describe(client, team, user);
        for (const shared of files) {
          const file = await describeFile(client, shared.id);
          const url = file.url_private_download ?? file.url_private;
          const incoming: FileEvent = {
            kind: 'file',
            conversation,
            user: userRef,
            deliveryId: `${body.event_id}:${file.id}`,
            text: typedText(message.text ?? '', context.botUserId),
            file: {
              name: file.name ?? file.id,
              size: file.size ?? 0,
              ...(file.mimetype ? { mimeType: file.mimetype } : {}),
              download: async (toPath, maxBytes) => {
                if (!url)
                  throw new FileDownloadError(`Slack gave no download address for ${file.name ?? file.id}`);
                return downloadSlackFile(url, token, deps.config.apiUrl, toPath, maxBytes);
              },
            },
          };
          await handleIncoming(deps, incoming, { client, conversation, userId: user });
        }
      },
      (e) => deps.log(`slack: a shared file failed: ${slackErrorCode(e) ?? (e as Error).message}`),
    );
  });
}
