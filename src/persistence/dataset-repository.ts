import type { PrismaClient } from './generated/client.js';
import { normaliseTypedId, shortId, withFreshId } from './short-id.js';
import { ensureTeamRow } from './team-scope.js';

export interface DatasetInput {
  teamKey: string;
  name: string;
  path: string;
  sha256: string;
  lineCount: number;
  createdBy: string;
}

export interface DatasetRecord {
  /** `ds-` and six characters, e.g. `ds-k3x9qp`. */
  id: string;
  teamId: string;
  name: string;
  path: string;
  sha256: string;
  lineCount: number;
  createdBy: string;
  createdAt: Date;
}

export const newDatasetId = (): string => `ds-${shortId(6)}`;

/** Training data files a team registered. */
export class DatasetRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async register(input: DatasetInput): Promise<DatasetRecord> {
    await ensureTeamRow(this.prisma, input.teamKey);
    return withFreshId(newDatasetId, (id) =>
      this.prisma.dataset.create({
        data: {
          id,
          teamId: input.teamKey,
          name: input.name,
          path: input.path,
          sha256: input.sha256,
          lineCount: input.lineCount,
          createdBy: input.createdBy,
        },
      }),
    );
  }

  /** Only the team's own datasets; the id as typed (case and spaces do not matter). */
  get(teamKey: string, id: string): Promise<DatasetRecord | null> {
    return this.prisma.dataset.findFirst({ where: { id: normaliseTypedId(id), teamId: teamKey } });
  }

  /** Newest first. */
  list(teamKey: string): Promise<DatasetRecord[]> {
    return this.prisma.dataset.findMany({
      where: { teamId: teamKey },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    });
  }
}
