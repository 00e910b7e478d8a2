import type { PrismaClient } from './generated/client.js';
import { ensureTeamRow } from './team-scope.js';

export interface LearningRateOptimumRecord {
  teamId: string;
  bucket: string;
  method: string;
  learningRate: number;
  validationLoss: number;
  atGridEdge: boolean;
  jobId: string;
  model: string;
  measuredAt: Date;
}

/** The best learning rate a finished sweep measured, per workspace, size bucket and method. */
export class LearningRateOptimumRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Keeps the latest measurement: a newer sweep of the same bucket and method replaces it. */
  async record(entry: Omit<LearningRateOptimumRecord, 'measuredAt'> & { measuredAt?: Date }): Promise<void> {
    await ensureTeamRow(this.prisma, entry.teamId);
    const data = { ...entry, measuredAt: entry.measuredAt ?? new Date() };
    await this.prisma.learningRateOptimum.upsert({
      where: { teamId_bucket_method: { teamId: entry.teamId, bucket: entry.bucket, method: entry.method } },
      create: data,
      update: data,
    });
  }

  /** The workspace's measured optimum per method for one size bucket. */
  async forBucket(teamId: string, bucket: string): Promise<LearningRateOptimumRecord[]> {
    return this.prisma.learningRateOptimum.findMany({
      where: { teamId, bucket },
      orderBy: { method: 'asc' },
    });
  }
}
