import type { Message } from 'discord.js';
import type { Reply } from '../../src/chat/replies';
import { isDatasetFile, sharedFile } from './attachment-file';
import type { DiscordContext } from './context';
import { channelFacts, conversationFor, memberAccess, userFor } from './identity';

export const DM_DATASET_TEXT =
  'Datasets belong to a server: attach the .jsonl file in a server thread, then compare on it there.';

/**
 * Typed messages in threads and DMs (questionnaire answers, `faceoff ...` commands) and JSONL attachments
 * anywhere the bot reads. Each message is handled once, even when the gateway delivers it again.
 */
export async function handleMessage(message: Message, ctx: DiscordContext): Promise<void> {
  if (message.author.bot || message.system || message.webhookId) return;
  const inDm = !message.guildId;
  const datasets = [...message.attachments.values()].filter((a) => isDatasetFile(a.name));
  const text = message.content.trim();
  if (!inDm && !message.channel.isThread() && datasets.length === 0) return;
  if (!text && datasets.length === 0) return;
  const deliveryId = `discord:message:${message.id}`;
  if (!(await ctx.repositories.deliveries.firstTime(deliveryId))) return;

  const conversation = conversationFor(channelFacts(message.channel, message.channelId, message.guildId));
  const access = memberAccess(message.guildId, message.member, message.member?.permissions ?? null);
  const base = {
    conversation,
    user: userFor(message.author, message.member?.displayName, access),
    deliveryId,
  };
  const replies: Reply[] = [];
  if (datasets.length && inDm) {
    replies.push({ text: DM_DATASET_TEXT });
  } else if (datasets.length) {
    if ('sendTyping' in message.channel) await message.channel.sendTyping().catch(() => {});
    for (const attachment of datasets) {
      replies.push(
        ...(await ctx.engine.handle({
          kind: 'file',
          file: sharedFile(attachment, ctx.apiUrl),
          text,
          ...base,
        })),
      );
    }
  } else {
    replies.push(...(await ctx.engine.handle({ kind: 'message', text, ...base })));
  }
  await ctx.poster.deliver(conversation, replies);
}
