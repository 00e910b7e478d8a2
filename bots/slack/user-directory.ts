/**
 * Who a Slack user is, for the core's UserRef: their id, name and whether they administer the
 * workspace (admins and owners may cancel anyone's job). users.info answers are cached for ten
 * minutes; without the users:read scope everyone counts as a non-admin.
 */
import type { webApi } from '@slack/bolt';
import type { UserRef } from '../../src/chat/incoming';

export class UserDirectory {
  private readonly cache = new Map<string, { user: UserRef; until: number }>();

  constructor(private readonly cacheMs = 600_000) {}

  async describe(client: webApi.WebClient, team: string, id: string, name?: string): Promise<UserRef> {
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
