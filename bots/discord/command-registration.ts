import { REST, Routes } from 'discord.js';
import type { DiscordConfig } from './config';
import { faceoffCommand } from './slash-command';

export interface Registration {
  scope: string;
  names: string[];
}

/**
 * Puts `/faceoff` (overwriting the application's commands in that scope): in DISCORD_GUILD_ID's server,
 * where changes show at once (development), or globally, where Discord may take up to an hour.
 */
export async function registerCommands(
  config: DiscordConfig,
  options: { retries?: number } = {},
): Promise<Registration> {
  const rest = new REST({
    ...(config.apiUrl ? { api: config.apiUrl } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
  }).setToken(config.token);
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.applicationId, config.guildId)
    : Routes.applicationCommands(config.applicationId);
  const saved = (await rest.put(route, { body: [faceoffCommand()] })) as { name: string }[];
  return { scope: config.guildId ? `server ${config.guildId}` : 'global', names: saved.map((c) => c.name) };
}
