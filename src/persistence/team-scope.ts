/** The team scope every row carries: Team.id is the team key `platform:workspace`. */
import type { PrismaClient } from './generated/client.js';

export interface TeamInfo {
  platform: string;
  externalId: string;
  name?: string;
}

/** `slack:T0123` -> platform `slack`, externalId `T0123` (everything after the first colon). */
export function parseTeamKey(teamKey: string): TeamInfo {
  const at = teamKey.indexOf(':');
  if (at <= 0 || at === teamKey.length - 1) {
    throw new Error(`not a team key: "${teamKey}" (expected platform:workspace)`);
  }
  return { platform: teamKey.slice(0, at), externalId: teamKey.slice(at + 1) };
}

/** Conversation and channel keys start with their team key; a mismatch is a caller bug. */
export function assertInTeam(teamKey: string, key: string, what: string): void {
  parseTeamKey(teamKey);
  if (!key.startsWith(`${teamKey}:`)) {
    throw new Error(`${what} "${key}" does not belong to team "${teamKey}"`);
  }
}

/**
 * Creates the team row if missing (one atomic statement, safe when callers race), so rows that
 * reference the team can be written without an explicit `TeamRepository.ensure` first. A given
 * name replaces the stored one.
 */
export async function ensureTeamRow(prisma: PrismaClient, teamKey: string, info?: TeamInfo): Promise<void> {
  const { platform, externalId, name } = info ?? parseTeamKey(teamKey);
  await prisma.$executeRaw`
    INSERT INTO "Team" ("id", "platform", "externalId", "name", "createdAt")
    VALUES (${teamKey}, ${platform}, ${externalId}, ${name ?? null}, ${new Date()})
    ON CONFLICT ("id") DO UPDATE SET "name" = COALESCE(EXCLUDED."name", "Team"."name")
    WHERE EXCLUDED."name" IS NOT NULL AND EXCLUDED."name" IS DISTINCT FROM "Team"."name"`;
}
