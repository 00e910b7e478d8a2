import type { PrismaClient } from './generated/client.js';
import { ensureTeamRow, parseTeamKey, type TeamInfo } from './team-scope.js';

export interface TeamRecord {
  /** The team key, `platform:workspace`. */
  id: string;
  platform: string;
  externalId: string;
  name: string | null;
  createdAt: Date;
}

export class TeamRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Creates the team if new; a given name replaces the stored one. */
  async ensure(teamKey: string, team: TeamInfo): Promise<TeamRecord> {
    parseTeamKey(teamKey);
    await ensureTeamRow(this.prisma, teamKey, team);
    return this.prisma.team.findUniqueOrThrow({ where: { id: teamKey } });
  }

  get(teamKey: string): Promise<TeamRecord | null> {
    return this.prisma.team.findUnique({ where: { id: teamKey } });
  }
}
