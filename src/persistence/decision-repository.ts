import type { PrismaClient } from './generated/client.js';
import { jsonValue } from './json-values.js';
import { assertInTeam, ensureTeamRow } from './team-scope.js';

export interface DecisionInput {
  teamKey: string;
  conversationKey: string;
  userId: string;
  answers: unknown;
  result: unknown;
  recommendation: string;
}

export interface DecisionRecord {
  id: string;
  teamId: string;
  conversationKey: string;
  userId: string;
  answers: unknown;
  result: unknown;
  recommendation: string;
  createdAt: Date;
}

/** Finished questionnaires: what was answered and what was recommended. */
export class DecisionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Returns the new decision's id. */
  async record(input: DecisionInput): Promise<string> {
    assertInTeam(input.teamKey, input.conversationKey, 'conversation key');
    await ensureTeamRow(this.prisma, input.teamKey);
    const row = await this.prisma.decision.create({
      data: {
        teamId: input.teamKey,
        conversationKey: input.conversationKey,
        userId: input.userId,
        answers: jsonValue(input.answers, 'decision answers'),
        result: jsonValue(input.result, 'decision result'),
        recommendation: input.recommendation,
      },
      select: { id: true },
    });
    return row.id;
  }

  /** Newest first. */
  listRecent(teamKey: string, limit: number): Promise<DecisionRecord[]> {
    return this.prisma.decision.findMany({
      where: { teamId: teamKey },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: Math.max(0, Math.floor(limit)),
    });
  }
}
