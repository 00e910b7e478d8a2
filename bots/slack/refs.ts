/** Slack ids as the core's neutral references: workspace = team id, thread = thread root ts. */
import type { ConversationRef } from '../../src/chat/conversation';

export function slackConversation(team: string, channel: string, thread?: string): ConversationRef {
  return { platform: 'slack', workspace: team, channel, ...(thread ? { thread } : {}) };
}

/** The workspace a request belongs to: the authorized team, else the team the payload names. */
export function teamOf(
  context: { teamId?: string | undefined },
  ...fallbacks: (string | undefined | null)[]
): string {
  const team = context.teamId ?? fallbacks.find((t): t is string => Boolean(t));
  if (!team) throw new Error('the Slack payload names no workspace (team id)');
  return team;
}

/** A user mention in mrkdwn. */
export const mention = (userId: string) => `<@${userId}>`;
