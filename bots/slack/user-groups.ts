/**
 * Membership of the user group that FACEOFF_SLACK_DISPATCH_GROUP names, read with
 * usergroups.users.list and cached for a minute per workspace. When the group cannot be read the
 * user holds no group (closed, never open) and the reason is logged.
 */
import type { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';

/** Entries kept at most; the least recently used is dropped past it. */
const CACHE_BOUND = 10_000;

export class UserGroups {
  /** Bounded: one entry per group asked about, the least recently used dropped past the bound. */
  private readonly groups = new LRUCache<string, { members: Set<string>; until: number }>({
    max: CACHE_BOUND,
  });

  constructor(
    private readonly group: string | undefined,
    private readonly log: (message: string) => void,
    private readonly cacheMs = 60_000,
  ) {}

  /** The configured group's id when `user` is a member, as the core's `UserRef.roles`. */
  async heldBy(client: webApi.WebClient, team: string, user: string): Promise<string[]> {
    if (!this.group) return [];
    const members = await this.members(client, team, this.group);
    return members.has(user) ? [this.group] : [];
  }

  private async members(client: webApi.WebClient, team: string, group: string): Promise<Set<string>> {
    const key = `${team}:${group}`;
    const cached = this.groups.get(key);
    if (cached && cached.until > Date.now()) return cached.members;
    try {
      const result = await client.usergroups.users.list({ usergroup: group });
      const members = new Set(result.users ?? []);
      this.groups.set(key, { members, until: Date.now() + this.cacheMs });
      return members;
    } catch (e) {
      this.log(
        `slack: could not read the members of user group ${group}: ${(e as { data?: { error?: string } }).data?.error ?? (e as Error).message}`,
      );
      return new Set();
    }
  }
}
