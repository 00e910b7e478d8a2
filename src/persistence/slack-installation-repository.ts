import type { PrismaClient } from './generated/client.js';
import { jsonValue } from './json-values.js';

/**
 * What an OAuth install of the Slack app left behind, in the shape Bolt's installation store
 * reads and writes (`team`, `enterprise`, `bot`, `user`, ...). Kept structural here: the core
 * never imports Slack packages; the Slack adapter passes Bolt's objects straight through.
 */
export interface SlackInstallationData {
  team?: { id: string; name?: string } | undefined;
  enterprise?: { id: string; name?: string } | undefined;
  isEnterpriseInstall?: boolean | undefined;
  bot?: { token: string; id: string; userId: string; scopes: string[] } | undefined;
  [key: string]: unknown;
}

/** Which installation a request needs: a workspace (team) or, for org-wide installs, an enterprise. */
export interface SlackInstallationQuery {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall: boolean;
}

/** Thrown when no installation matches, so Bolt answers the request as unauthorized. */
export class SlackInstallationNotFound extends Error {
  constructor(query: SlackInstallationQuery) {
    super(
      query.isEnterpriseInstall
        ? `no Slack installation for enterprise ${query.enterpriseId ?? '?'}`
        : `no Slack installation for workspace ${query.teamId ?? '?'}`,
    );
    this.name = 'SlackInstallationNotFound';
  }
}

function where(query: SlackInstallationQuery): { teamId: string | null; enterpriseId?: string | null } {
  if (query.isEnterpriseInstall) {
    if (!query.enterpriseId) throw new Error('an enterprise installation query needs enterpriseId');
    return { teamId: null, enterpriseId: query.enterpriseId };
  }
  if (!query.teamId) throw new Error('a workspace installation query needs teamId');
  return { teamId: query.teamId, ...(query.enterpriseId ? { enterpriseId: query.enterpriseId } : {}) };
}

/**
 * Slack installations, one per workspace (or per enterprise for org-wide installs); reinstalling
 * replaces the stored one. Implements Bolt's InstallationStore contract (store, fetch, delete).
 * Tokens are stored as Slack returns them: protect the database like any other secret store.
 */
export class SlackInstallationRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async storeInstallation(installation: SlackInstallationData): Promise<void> {
    const isEnterpriseInstall = installation.isEnterpriseInstall === true;
    const key = where({
      teamId: installation.team?.id,
      enterpriseId: installation.enterprise?.id,
      isEnterpriseInstall,
    });
    const data = {
      teamId: key.teamId,
      enterpriseId: installation.enterprise?.id ?? null,
      installation: jsonValue(installation, 'Slack installation'),
    };
    const { count } = await this.prisma.slackInstallation.updateMany({ where: key, data });
    // Two installs racing may both create a row; fetch reads the newest, so either is harmless.
    if (count === 0) await this.prisma.slackInstallation.create({ data });
  }

  async fetchInstallation(query: SlackInstallationQuery): Promise<SlackInstallationData> {
    const row = await this.prisma.slackInstallation.findFirst({
      where: where(query),
      orderBy: { updatedAt: 'desc' },
    });
    if (!row) throw new SlackInstallationNotFound(query);
    return row.installation as SlackInstallationData;
  }

  async deleteInstallation(query: SlackInstallationQuery): Promise<void> {
    await this.prisma.slackInstallation.deleteMany({ where: where(query) });
  }

  /** Number of stored installations (workspaces and enterprises). */
  count(): Promise<number> {
    return this.prisma.slackInstallation.count();
  }
}
