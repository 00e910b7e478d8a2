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
  /**
   * FACEOFF_DISCORD_SHARDS: the gateway shards this process runs. `auto`: as many as Discord
   * recommends (all in this process); `ids` of `count`: those shards of that many in total. Absent:
   * one shard (discord.js's default).
   */
  shards?: DiscordShards;
}

export type DiscordShards = 'auto' | { ids: number[]; count: number };

/** Discord's limit on one attached file on a server without boosts: 10 MiB. */
export const DISCORD_DEFAULT_UPLOAD_BYTES = 10 * 1024 ** 2;
/** The most any Discord upload may be (a tier-3 server allows 100 MiB; Nitro users 500 MiB). */
const MAX_UPLOAD_LIMIT_MB = 500;

const SNOWFLAKE = /^\d{17,20}$/;

/** The most shards one value may name (a guard against typos; Discord's largest bots run far fewer). */
export const MAX_DISCORD_SHARDS = 100_000;

const SHARDS_ACCEPTED =
  'a shard count ("2": that many shards in this process), "auto" (as many as Discord recommends) or shard ids of a total ("0,1/4" or "0-1/4": shards 0 and 1 of 4)';

/**
 * Reads FACEOFF_DISCORD_SHARDS: `auto`, `N` (shards 0 to N-1 of N) or `IDS/N` (comma-separated ids
 * and ranges `a-b` of N in total, each below N, none twice).
 */
export function parseDiscordShards(text: string): Result<DiscordShards> {
  const wrong = (why: string) => err(`FACEOFF_DISCORD_SHARDS: "${text}" ${why}; expected ${SHARDS_ACCEPTED}`);
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'auto') return ok('auto');
  const whole = (s: string) => (/^\d{1,6}$/.test(s) ? Number(s) : undefined);
  const total = (s: string) => {
    const n = whole(s);
    return n !== undefined && n >= 1 && n <= MAX_DISCORD_SHARDS ? n : undefined;
  };
  const parts = trimmed.split('/');
  if (parts.length === 1) {
    const count = total(trimmed);
    if (count === undefined) return wrong(`is not a shard count from 1 to ${MAX_DISCORD_SHARDS}`);
    return ok({ ids: Array.from({ length: count }, (_, i) => i), count });
  }
  if (parts.length > 2) return wrong('has more than one "/"');
  const count = total((parts[1] ?? '').trim());
  if (count === undefined) return wrong(`does not end in a shard total from 1 to ${MAX_DISCORD_SHARDS}`);
  const ids = new Set<number>();
  for (const item of (parts[0] ?? '').split(',').map((i) => i.trim())) {
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(item);
    const from = whole(range ? (range[1] ?? '') : item);
    const to = range ? whole(range[2] ?? '') : from;
    if (from === undefined || to === undefined || to < from)
      return wrong(`names "${item}", which is not a shard id or a range "a-b"`);
    if (to >= count) return wrong(`names shard ${to}, but shard ids of ${count} go from 0 to ${count - 1}`);
    for (let id = from; id <= to; id++) {
      if (ids.has(id)) return wrong(`names shard ${id} twice`);
      ids.add(id);
    }
  }
  return ok({ ids: [...ids].sort((a, b) => a - b), count });
}

const value = (env: Record<string, string | undefined>, key: string) => env[key]?.trim() || undefined;

/**
 * Reads DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_API_URL, DISCORD_GUILD_ID,
 * FACEOFF_DISCORD_DISPATCH_ROLES, FACEOFF_DISCORD_UPLOAD_LIMIT_MB and FACEOFF_DISCORD_SHARDS. Neither token nor application
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
  const shardsText = value(env, 'FACEOFF_DISCORD_SHARDS');
  const shards = shardsText === undefined ? undefined : parseDiscordShards(shardsText);
  if (shards && !shards.ok) errors.push(shards.error);
  if (errors.length || !token || !applicationId) return err(errors.join('\n'));
  return ok({
    token,
    applicationId,
    ...(apiUrl ? { apiUrl: apiUrl.replace(/\/+$/, '') } : {}),
    ...(guildId ? { guildId } : {}),
    dispatchRoleIds,
    ...(uploadMb !== undefined ? { maxUploadBytes: Math.floor(uploadMb * 1024 ** 2) } : {}),
    ...(shards?.ok ? { shards: shards.value } : {}),
  });
}
