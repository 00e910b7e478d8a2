import { httpUrlProblem } from '../../src/format/url-redaction';
import { err, ok, type Result } from '../../src/parsing/result';

/** Discord configuration from the environment. Secrets are never logged. */
export interface DiscordConfig {
  token: string;
  applicationId: string;
  /** REST base without the version (discord.js appends `/v10`); DISCORD_API_URL, for proxies and tests. */
  apiUrl?: string;
  /** Where `npm run discord:register` puts the commands; unset registers them globally. */
  guildId?: string;
  /** Role ids whose members may dispatch GPU jobs (besides members with Manage Server). */
  dispatchRoleIds: string[];
}

const SNOWFLAKE = /^\d{17,20}$/;

const value = (env: Record<string, string | undefined>, key: string) => env[key]?.trim() || undefined;

/**
 * Reads DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_API_URL, DISCORD_GUILD_ID and
 * FACEOFF_DISCORD_DISPATCH_ROLES. Neither token nor application id: Discord is not configured (ok(undefined)).
 */
export function readDiscordConfig(
  env: Record<string, string | undefined>,
): Result<DiscordConfig | undefined> {
  const token = value(env, 'DISCORD_TOKEN');
  const applicationId = value(env, 'DISCORD_APPLICATION_ID');
  if (!token && !applicationId) return ok(undefined);
  const errors: string[] = [];
  if (!token)
    errors.push(
      'DISCORD_TOKEN: required with DISCORD_APPLICATION_ID (the bot token from the Developer Portal)',
    );
  if (!applicationId) errors.push('DISCORD_APPLICATION_ID: required with DISCORD_TOKEN (the application id)');
  else if (!SNOWFLAKE.test(applicationId))
    errors.push(`DISCORD_APPLICATION_ID: "${applicationId}" is not a Discord id (17 to 20 digits)`);
  const guildId = value(env, 'DISCORD_GUILD_ID');
  if (guildId && !SNOWFLAKE.test(guildId))
    errors.push(`DISCORD_GUILD_ID: "${guildId}" is not a Discord id (17 to 20 digits)`);
  const apiUrl = value(env, 'DISCORD_API_URL');
  const apiUrlProblem = apiUrl ? httpUrlProblem(apiUrl) : null;
  if (apiUrlProblem) errors.push(`DISCORD_API_URL: ${apiUrlProblem}`);
  const dispatchRoleIds = (value(env, 'FACEOFF_DISCORD_DISPATCH_ROLES') ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const badRoles = dispatchRoleIds.filter((r) => !SNOWFLAKE.test(r));
  if (badRoles.length) {
    errors.push(
      `FACEOFF_DISCORD_DISPATCH_ROLES: ${badRoles.map((r) => `"${r}"`).join(', ')} not role ids (comma-separated, 17 to 20 digits)`,
    );
  }
  if (errors.length || !token || !applicationId) return err(errors.join('\n'));
  return ok({
    token,
    applicationId,
    ...(apiUrl ? { apiUrl: apiUrl.replace(/\/+$/, '') } : {}),
    ...(guildId ? { guildId } : {}),
    dispatchRoleIds,
  });
}
