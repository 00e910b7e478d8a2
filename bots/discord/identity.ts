import type { APIInteractionGuildMember, GuildMember, PermissionsBitField, User } from 'discord.js';
import { PermissionFlagsBits } from 'discord.js';
import type { ConversationRef } from '../../src/chat/conversation';
import type { UserRef } from '../../src/chat/incoming';

/** Where a Discord event happened, in the few facts the conversation needs. */
export interface ChannelFacts {
  channelId: string;
  guildId: string | null;
  /** Set for threads: the channel the thread hangs off. */
  parentId?: string | null;
  isThread: boolean;
}

/** The server's role and permission facts about the person behind an event. */
export interface MemberAccess {
  guildId: string | null;
  manageGuild: boolean;
  roleIds: readonly string[];
}

export const DM_WORKSPACE = 'dm';

/** Guild id as workspace (data is scoped per server); a thread is its own conversation; DMs have workspace `dm`. */
export function conversationFor(facts: ChannelFacts): ConversationRef {
  if (!facts.guildId) return { platform: 'discord', workspace: DM_WORKSPACE, channel: facts.channelId };
  if (facts.isThread && facts.parentId) {
    return {
      platform: 'discord',
      workspace: facts.guildId,
      channel: facts.parentId,
      thread: facts.channelId,
    };
  }
  return { platform: 'discord', workspace: facts.guildId, channel: facts.channelId };
}

interface ChannelLike {
  id: string;
  isThread(): boolean;
  parentId?: string | null;
}

export function channelFacts(
  channel: ChannelLike | null,
  channelId: string,
  guildId: string | null,
): ChannelFacts {
  const isThread = channel?.isThread() ?? false;
  return {
    channelId: channel?.id ?? channelId,
    guildId,
    parentId: isThread ? (channel?.parentId ?? null) : null,
    isThread,
  };
}

/** Role ids of a cached member or of the raw member an interaction carries. */
export function memberRoleIds(member: GuildMember | APIInteractionGuildMember | null): string[] {
  if (!member) return [];
  return Array.isArray(member.roles) ? [...member.roles] : [...member.roles.cache.keys()];
}

export function memberAccess(
  guildId: string | null,
  member: GuildMember | APIInteractionGuildMember | null,
  permissions: Readonly<PermissionsBitField> | null,
): MemberAccess {
  return {
    guildId,
    manageGuild: permissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
    roleIds: memberRoleIds(member),
  };
}

export function userFor(user: User, displayName: string | undefined, access: MemberAccess): UserRef {
  return {
    id: user.id,
    name: displayName ?? user.globalName ?? user.username,
    isAdmin: access.manageGuild,
    roles: access.roleIds,
  };
}
