/**
 * Which message events belong to a Faceoff conversation: replies in a thread whose root the bot
 * posted (Slack names the root's author in `parent_user_id`; the roots the bot started are also
 * remembered in the database, for every bot process), and anything in a direct message with the bot.
 */
import type { ConversationRef } from '../../../src/chat/conversation';
import type { SlackDeps } from '../deps';
import { slackConversation } from '../refs';

export interface ThreadMessageFields {
  channel: string;
  channel_type?: string;
  ts: string;
  thread_ts?: string;
  parent_user_id?: string;
  user?: string;
  bot_id?: string;
  text?: string;
}

export async function faceoffConversation(
  deps: SlackDeps,
  team: string,
  message: ThreadMessageFields,
  botUserId: string | undefined,
): Promise<ConversationRef | undefined> {
  if (!message.user || message.bot_id) return undefined;
  const thread = message.thread_ts && message.thread_ts !== message.ts ? message.thread_ts : undefined;
  if (message.channel_type === 'im') return slackConversation(team, message.channel, thread);
  if (!thread) return undefined;
  const ours =
    (botUserId && message.parent_user_id === botUserId) ||
    (await deps.posted.isThreadRoot(team, message.channel, thread));
  return ours ? slackConversation(team, message.channel, thread) : undefined;
}

/** Typed text as the user wrote it: the bot's own mention dropped, Slack's escapes undone. */
export function typedText(text: string, botUserId: string | undefined): string {
  const withoutMention = botUserId ? text.replaceAll(`<@${botUserId}>`, '') : text;
  return withoutMention.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim();
}
