/** What the conversation engine needs from persistence; the Prisma repositories satisfy these. */
export interface SessionStore {
  load(
    teamKey: string,
    conversationKey: string,
    userId: string,
    now: Date,
  ): Promise<{ state: unknown } | null>;
  save(
    teamKey: string,
    conversationKey: string,
    userId: string,
    state: unknown,
    expiresAt: Date,
  ): Promise<unknown>;
  delete(teamKey: string, conversationKey: string, userId: string): Promise<unknown>;
}

export interface DecisionStore {
  record(input: {
    teamKey: string;
    conversationKey: string;
    userId: string;
    answers: unknown;
    result: unknown;
    recommendation: string;
  }): Promise<unknown>;
}

export interface TeamStore {
  ensure(teamKey: string, team: { platform: string; externalId: string; name?: string }): Promise<unknown>;
}
