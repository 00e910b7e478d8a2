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
  /**
   * The largest file a reply attaches, in bytes (FACEOFF_DISCORD_UPLOAD_LIMIT_MB, in MiB, for
   * boosted servers); absent: DISCORD_DEFAULT_UPLOAD_BYTES.
   */
  maxUploadBytes?: number;
}

/** Discord's limit on one attached file on a server without boosts: 10 MiB. */
export const DISCORD_DEFAULT_UPLOAD_BYTES = 10 * 1024 ** 2;
/** The most any Discord upload may be (a tier-3 server allows 100 MiB; Nitro users 500 MiB). */
const MAX_UPLOAD_LIMIT_MB = 500;

const SNOWFLAKE = /^\d{17,20}$/;

const value = (env: Record<string, string | undefined>, key: string) => env[key]?.trim() || undefined;

/**
 * Reads DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_API_URL, DISCORD_GUILD_ID,
 * FACEOFF_DISCORD_DISPATCH_ROLES and FACEOFF_DISCORD_UPLOAD_LIMIT_MB. Neither token nor application
 * id: Discord is not configured (ok(undefined)).
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
  const uploadLimit = value(env, 'FACEOFF_DISCORD_UPLOAD_LIMIT_MB');
  const uploadMb = uploadLimit === undefined ? undefined : Number(uploadLimit);
  const uploadMbValid =
    uploadMb !== undefined &&
    /^\d+(\.\d+)?$/.test(uploadLimit ?? '') &&
    uploadMb > 0 &&
    uploadMb <= MAX_UPLOAD_LIMIT_MB;
  if (uploadLimit !== undefined && !uploadMbValid) {
    errors.push(
      `FACEOFF_DISCORD_UPLOAD_LIMIT_MB: "${uploadLimit}" is not a size in MiB from above 0 to ${MAX_UPLOAD_LIMIT_MB} (Discord's default is 10; boosted servers allow more)`,
    );
  }
  if (errors.length || !token || !applicationId) return err(errors.join('\n'));
  return ok({
    token,
    applicationId,
    ...(apiUrl ? { apiUrl: apiUrl.replace(/\/+$/, '') } : {}),
    ...(guildId ? { guildId } : {}),
    dispatchRoleIds,
    ...(uploadMb !== undefined ? { maxUploadBytes: Math.floor(uploadMb * 1024 ** 2) } : {}),
  });
}
