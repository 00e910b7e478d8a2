/** Where a message lives, independent of the chat platform. */
export type Platform = 'slack' | 'discord' | 'console';

export interface ConversationRef {
  platform: Platform;
  /** Slack team id, Discord guild id (or `dm`), `local` for the console. */
  workspace: string;
  channel: string;
  /** Thread root (Slack thread_ts, Discord thread channel id); absent at channel level. */
  thread?: string;
}

/** Scope shared by everything a team stores: one workspace of one platform. */
export function teamKey(ref: Pick<ConversationRef, 'platform' | 'workspace'>): string {
  return `${ref.platform}:${ref.workspace}`;
}

/** Stable string id for a conversation, e.g. `slack:T1:C9:1712.55`. */
export function conversationKey(ref: ConversationRef): string {
  return [ref.platform, ref.workspace, ref.channel, ref.thread ?? ''].join(':');
}

/** The channel a conversation sits in (thread dropped): where subscriptions live. */
export function channelKey(ref: ConversationRef): string {
  return [ref.platform, ref.workspace, ref.channel, ''].join(':');
}

export function parseConversationKey(key: string): ConversationRef {
  const [platform, workspace, channel, thread] = key.split(':');
  if (
    !platform ||
    !workspace ||
    channel === undefined ||
    !['slack', 'discord', 'console'].includes(platform)
  ) {
    throw new Error(`not a conversation key: "${key}" (expected platform:workspace:channel:thread)`);
  }
  return { platform: platform as Platform, workspace, channel, ...(thread ? { thread } : {}) };
}
