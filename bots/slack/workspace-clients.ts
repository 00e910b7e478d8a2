/**
 * A Web API client with the right bot token for a workspace, for posts that answer no request
 * (job progress and completion). One workspace: the app's own client. OAuth: the token stored for
 * that team by the installation store, clients cached for ten minutes.
 */
import { type InstallationStore, webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';

/** Entries kept at most; the least recently used is dropped past it. */
const CACHE_BOUND = 10_000;

export type WorkspaceTokens =
  | { kind: 'single'; client: webApi.WebClient }
  | { kind: 'installations'; store: InstallationStore; clientOptions: webApi.WebClientOptions };

export class WorkspaceClients {
  /** Bounded: one client per workspace in use, the least recently used dropped past the bound. */
  private readonly cache = new LRUCache<string, { client: webApi.WebClient; until: number }>({
    max: CACHE_BOUND,
  });

  constructor(
    private readonly tokens: WorkspaceTokens,
    private readonly cacheMs = 600_000,
  ) {}

  async forTeam(team: string): Promise<webApi.WebClient> {
    if (this.tokens.kind === 'single') return this.tokens.client;
    const hit = this.cache.get(team);
    if (hit && hit.until > Date.now()) return hit.client;
    const installation = await this.tokens.store.fetchInstallation({
      teamId: team,
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    const token = installation.bot?.token;
    if (!token) throw new Error(`the Slack installation of workspace ${team} has no bot token`);
    const client = new webApi.WebClient(token, this.tokens.clientOptions);
    this.cache.set(team, { client, until: Date.now() + this.cacheMs });
    return client;
  }

  /** Drops cached clients after an uninstall: the workspace's, or every one (an enterprise's workspaces). */
  forget(team?: string): void {
    if (team) this.cache.delete(team);
    else this.cache.clear();
  }
}
