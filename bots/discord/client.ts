import { Client, type ClientOptions, GatewayIntentBits, Partials, PermissionFlagsBits } from 'discord.js';
import type { DiscordConfig } from './config';
import { discordPacer } from './rest-pacing';

/** Gateway intents the bot needs; Message Content is privileged (enable it in the Developer Portal). */
export const DISCORD_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
] as const;

/** Channel permissions the bot uses: read and post, embeds and files, questionnaire threads. */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory;

export function inviteUrl(applicationId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot+applications.commands&permissions=${BOT_PERMISSIONS}`;
}

export interface ClientOptionsOverride {
  /** REST retries on 5xx and network errors (discord.js default 3). */
  restRetries?: number;
}

/**
 * discord.js's internal sharding: every shard of FACEOFF_DISCORD_SHARDS runs in this process, on one
 * client (one cache, one set of handlers). Absent: one shard of one, as before.
 */
export function shardOptions(shards: DiscordConfig['shards']): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (!shards) return { shards: [0], shardCount: 1 };
  if (shards === 'auto') return { shards: 'auto' };
  return { shards: [...shards.ids], shardCount: shards.count };
}

/**
 * A gateway client; DISCORD_API_URL replaces the REST base. Mentions in posted text reach users only.
 * REST requests keep under Discord's global limit with a margin (rest-pacing.ts).
 */
export function createDiscordClient(config: DiscordConfig, override: ClientOptionsOverride = {}): Client {
  return new Client({
    ...shardOptions(config.shards),
    intents: [...DISCORD_INTENTS],
    partials: [Partials.Channel],
    allowedMentions: { parse: ['users'] },
    rest: {
      ...(config.apiUrl ? { api: config.apiUrl } : {}),
      makeRequest: discordPacer.makeRequest(),
      ...(override.restRetries !== undefined ? { retries: override.restRetries } : {}),
    },
  });
}
