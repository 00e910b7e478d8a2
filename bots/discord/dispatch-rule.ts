/**
 * Discord's rule for who may start GPU work, handed to the core's access policy: members with
 * Manage Server and members of the roles in FACEOFF_DISCORD_DISPATCH_ROLES; nobody in DMs, where
 * there are no roles to check. The check itself runs in the core on the parsed command.
 */
import type { DispatchRule } from '../../src/access/access-policy';
import { DM_WORKSPACE } from './identity';

export function discordDispatchRule(roleIds: readonly string[]): DispatchRule {
  return {
    users: [],
    roles: roleIds,
    admins: true,
    whenUnconfigured: 'admins',
    closedWorkspaces: [DM_WORKSPACE],
    describeWho: roleIds.length
      ? `members with Manage Server or one of the roles ${roleIds.map((id) => `<@&${id}>`).join(', ')} (FACEOFF_DISCORD_DISPATCH_ROLES)`
      : 'members with Manage Server',
    closedWorkspaceText: (what) =>
      `${what} starts GPU work, which runs only from a server, where its roles decide who may start it. Do it in a server channel.`,
  };
}
