import type { PrismaClient } from './generated/client.js';
import { jsonValue } from './json-values.js';
import { assertInTeam, ensureTeamRow } from './team-scope.js';

export interface StoredSession<S = unknown> {
  state: S;
  updatedAt: Date;
  expiresAt: Date;
}

/** A user's questionnaire in progress, one per (team, conversation, user), until it expires. */
export class QuestionnaireSessionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The live session, or null; an expired one is deleted on the way. */
  async load<S = unknown>(
    teamKey: string,
    conversationKey: string,
    userId: string,
    now: Date,
  ): Promise<StoredSession<S> | null> {
    const key = { teamId: teamKey, conversationKey, userId };
    const row = await this.prisma.questionnaireSession.findUnique({
      where: { teamId_conversationKey_userId: key },
    });
    if (!row) return null;
    if (row.expiresAt.getTime() <= now.getTime()) {
      // Only if still expired: a save that raced in since keeps its fresh row.
      await this.prisma.questionnaireSession.deleteMany({ where: { ...key, expiresAt: { lte: now } } });
      return null;
    }
    return { state: row.state as S, updatedAt: row.updatedAt, expiresAt: row.expiresAt };
  }

  async save(
    teamKey: string,
    conversationKey: string,
    userId: string,
    state: unknown,
    expiresAt: Date,
  ): Promise<void> {
    assertInTeam(teamKey, conversationKey, 'conversation key');
    await ensureTeamRow(this.prisma, teamKey);
    const value = jsonValue(state, 'questionnaire state');
    await this.prisma.questionnaireSession.upsert({
      where: { teamId_conversationKey_userId: { teamId: teamKey, conversationKey, userId } },
      create: { teamId: teamKey, conversationKey, userId, state: value, expiresAt },
      update: { state: value, expiresAt },
    });
  }

  /** True when there was a session to delete. */
  async delete(teamKey: string, conversationKey: string, userId: string): Promise<boolean> {
    const { count } = await this.prisma.questionnaireSession.deleteMany({
      where: { teamId: teamKey, conversationKey, userId },
    });
    return count > 0;
  }

  /** Deletes every session expired at `now`; returns how many. */
  async purgeExpired(now: Date): Promise<number> {
    const { count } = await this.prisma.questionnaireSession.deleteMany({
      where: { expiresAt: { lte: now } },
    });
    return count;
  }
}
