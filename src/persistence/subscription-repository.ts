import type { PrismaClient } from './generated/client.js';
import { assertInTeam, ensureTeamRow } from './team-scope.js';

/** Channels that asked to receive announcements (channel key = conversation key without thread). */
export class SubscriptionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async subscribe(teamKey: string, channelKey: string, userId: string): Promise<'created' | 'exists'> {
    assertInTeam(teamKey, channelKey, 'channel key');
    await ensureTeamRow(this.prisma, teamKey);
    const { count } = await this.prisma.channelSubscription.createMany({
      data: [{ teamId: teamKey, channelKey, createdBy: userId }],
      skipDuplicates: true,
    });
    return count === 1 ? 'created' : 'exists';
  }

  /** True when the channel was subscribed. */
  async unsubscribe(teamKey: string, channelKey: string): Promise<boolean> {
    const { count } = await this.prisma.channelSubscription.deleteMany({
      where: { teamId: teamKey, channelKey },
    });
    return count > 0;
  }

  /** The team's subscribed channel keys, oldest subscription first. */
  async list(teamKey: string): Promise<string[]> {
    const rows = await this.prisma.channelSubscription.findMany({
      where: { teamId: teamKey },
      orderBy: [{ createdAt: 'asc' }, { channelKey: 'asc' }],
      select: { channelKey: true },
    });
    return rows.map((r) => r.channelKey);
  }
}
