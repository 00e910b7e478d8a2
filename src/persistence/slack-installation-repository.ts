import type { PrismaClient } from './generated/client.js';
import { jsonValue } from './json-values.js';
import { type SecretBox, SecretBoxError } from './secret-box.js';
import { openTokens, plainTokens, sealTokens } from './slack-installation-tokens.js';

/**
 * What an OAuth install of the Slack app left behind, in the shape Bolt's installation store
 * reads and writes (`team`, `enterprise`, `bot`, `user`, ...). Kept structural here: the core
 * never imports Slack packages; the Slack adapter passes Bolt's objects straight through.
 */
export interface SlackInstallationData {
  team?: { id: string; name?: string } | undefined;
  enterprise?: { id: string; name?: string } | undefined;
  isEnterpriseInstall?: boolean | undefined;
  bot?:
    | {
        token: string;
        refreshToken?: string;
        expiresAt?: number;
        id: string;
        userId: string;
        scopes: string[];
      }
    | undefined;
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

/** Names the installation in messages: its workspace or enterprise id, never a token. */
function describe(row: { teamId: string | null; enterpriseId: string | null }): string {
  return row.teamId ? `workspace ${row.teamId}` : `enterprise ${row.enterpriseId ?? '?'}`;
}

/**
 * Slack installations, one per workspace (or per enterprise for org-wide installs); reinstalling
 * replaces the stored one. Implements Bolt's InstallationStore contract (store, fetch, delete).
 * Tokens are stored encrypted (AES-256-GCM, see secret-box.ts): storing and fetching need the
 * repository `withSecretBox`. Rows written before encryption are encrypted when next read, and by
 * `sealPlainInstallations` at start-up.
 */
export class SlackInstallationRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly box?: SecretBox,
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** The same table, with tokens sealed and opened by `box`; `log` hears about plain legacy rows. */
  withSecretBox(box: SecretBox, log?: (message: string) => void): SlackInstallationRepository {
    return new SlackInstallationRepository(this.prisma, box, log);
  }

  private requireBox(): SecretBox {
    if (!this.box) {
      throw new SecretBoxError(
        'Slack installation tokens are stored encrypted: the repository needs the key (FACEOFF_SLACK_TOKEN_KEY)',
      );
    }
    return this.box;
  }

  async storeInstallation(installation: SlackInstallationData): Promise<void> {
    const box = this.requireBox();
    const isEnterpriseInstall = installation.isEnterpriseInstall === true;
    const key = where({
      teamId: installation.team?.id,
      enterpriseId: installation.enterprise?.id,
      isEnterpriseInstall,
    });
    const data = {
      teamId: key.teamId,
      enterpriseId: installation.enterprise?.id ?? null,
      installation: jsonValue(sealTokens(installation, box), 'Slack installation'),
    };
    const { count } = await this.prisma.slackInstallation.updateMany({ where: key, data });
    // Two installs racing may both create a row; fetch reads the newest, so either is harmless.
    if (count === 0) await this.prisma.slackInstallation.create({ data });
  }

  async fetchInstallation(query: SlackInstallationQuery): Promise<SlackInstallationData> {
    const box = this.requireBox();
    const row = await this.prisma.slackInstallation.findFirst({
      where: where(query),
      orderBy: { updatedAt: 'desc' },
    });
    if (!row) throw new SlackInstallationNotFound(query);
    let stored = row.installation as SlackInstallationData;
    if (plainTokens(stored).length) stored = await this.seal(row);
    try {
      return openTokens(stored, box);
    } catch (e) {
      if (!(e instanceof SecretBoxError)) throw e;
      throw new SecretBoxError(`the Slack installation of ${describe(row)}: ${e.message}`);
    }
  }

  async deleteInstallation(query: SlackInstallationQuery): Promise<void> {
    await this.prisma.slackInstallation.deleteMany({ where: where(query) });
  }

  /**
   * Encrypts every installation still holding plain tokens (stored before encryption), and counts
   * those that do not open with this key; both are logged.
   */
  async sealPlainInstallations(): Promise<{ sealed: number; unreadable: number }> {
    const box = this.requireBox();
    let sealed = 0;
    let unreadable = 0;
    for (const row of await this.prisma.slackInstallation.findMany()) {
      const stored = row.installation as SlackInstallationData;
      if (plainTokens(stored).length) {
        await this.seal(row);
        sealed += 1;
        continue;
      }
      try {
        openTokens(stored, box);
      } catch (e) {
        if (!(e instanceof SecretBoxError)) throw e;
        unreadable += 1;
        this.log(
          `slack: the installation of ${describe(row)} does not decrypt with FACEOFF_SLACK_TOKEN_KEY: ${e.message}`,
        );
      }
    }
    return { sealed, unreadable };
  }

  private async seal(row: {
    id: string;
    teamId: string | null;
    enterpriseId: string | null;
    installation: unknown;
  }): Promise<SlackInstallationData> {
    const stored = row.installation as SlackInstallationData;
    const fields = plainTokens(stored);
    const sealed = sealTokens(stored, this.requireBox());
    await this.prisma.slackInstallation.update({
      where: { id: row.id },
      data: { installation: jsonValue(sealed, 'Slack installation') },
    });
    this.log(
      `slack: the installation of ${describe(row)} kept ${fields.join(', ')} in plain text; encrypted now with FACEOFF_SLACK_TOKEN_KEY`,
    );
    return sealed;
  }

  /** Number of stored installations (workspaces and enterprises). */
  count(): Promise<number> {
    return this.prisma.slackInstallation.count();
  }
}
