import type { Reply } from '../../src/chat/replies';
import type { MemberAccess } from './identity';

/** Router commands that start GPU work. */
export const DISPATCHING_COMMANDS: ReadonlySet<string> = new Set(['compare', 'retry']);

/** The dispatching command a router text names (`compare task=...`, `/faceoff retry abc`), if any. */
export function dispatchingCommand(text: string): string | undefined {
  const name = text
    .trim()
    .replace(/^\/?faceoff\b/i, '')
    .trim()
    .split(/\s+/)[0]
    ?.toLowerCase();
  return name && DISPATCHING_COMMANDS.has(name) ? name : undefined;
}

/** In a server: Manage Server, or one of the configured roles. Never in DMs (no roles to check there). */
export function mayDispatch(access: MemberAccess, allowedRoleIds: readonly string[]): boolean {
  if (!access.guildId) return false;
  return access.manageGuild || access.roleIds.some((id) => allowedRoleIds.includes(id));
}

export function dispatchRefusal(
  command: string,
  access: MemberAccess,
  allowedRoleIds: readonly string[],
): Reply {
  if (!access.guildId) {
    return {
      text: `\`/faceoff ${command}\` starts GPU jobs, which run only from a server, where its roles decide who may start them. Run it in a server channel.`,
      ephemeral: true,
    };
  }
  const who = allowedRoleIds.length
    ? `members with Manage Server or one of the roles ${allowedRoleIds.map((id) => `<@&${id}>`).join(', ')}`
    : 'members with Manage Server';
  return {
    text: `You may not start GPU jobs here: \`/faceoff ${command}\` is open to ${who}. Ask a server admin for access (FACEOFF_DISCORD_DISPATCH_ROLES lists the roles).`,
    ephemeral: true,
  };
}
