/**
 * Who a Slack user is, for the core's UserRef: their id, name, whether they administer the
 * workspace (admins and owners may cancel anyone's job) and the dispatch group when they are in it.
 * users.info answers are cached for ten minutes; without the users:read scope everyone counts as a
 * non-admin. Group membership comes from `UserGroups` (its own, shorter cache).
 */
import type { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { UserRef } from '../../src/chat/incoming';
import { UserGroups } from './user-groups';

/** Entries kept at most; the least recently used is dropped past it. */
const CACHE_BOUND = 10_000;

export class UserDirectory {
  /** Bounded: one entry per user seen, the least recently used dropped past the bound. */
  private readonly cache = new LRUCache<string, { user: UserRef; until: number }>({ max: CACHE_BOUND });

  constructor(
    private readonly groups: UserGroups = new UserGroups(undefined, () => {}),
    private readonly cacheMs = 600_000,
  ) {}

  async describe(client: webApi.WebClient, team: string, id: string, name?: string): Promise<UserRef> {
    const roles = await this.groups.heldBy(client, team, id);
    return { ...(await this.profile(client, team, id, name)), roles };
  }

  private async profile(client: webApi.WebClient, team: string, id: string, name?: string): Promise<UserRef> {
    const key = `${team}:${id}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.user;
    let user: UserRef = { id, ...(name ? { name } : {}), isAdmin: false };
    try {
      const info = await client.users.info({ user: id });
      const found = info.user;
      user = { id, name: found?.name ?? name ?? id, isAdmin: Boolean(found?.is_admin || found?.is_owner) };
    } catch {
      // No users:read scope or an unknown user: a plain member.
    }
    this.cache.set(key, { user, until: Date.now() + this.cacheMs });
    return user;
  }
}
