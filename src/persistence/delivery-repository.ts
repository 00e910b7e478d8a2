import type { PrismaClient } from './generated/client.js';

/** Remembers platform event ids so a re-delivered event is handled once. */
export class DeliveryRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** True the first time `key` is seen, false ever after (a unique insert: safe across processes). */
  async firstTime(key: string): Promise<boolean> {
    const { count } = await this.prisma.processedDelivery.createMany({
      data: [{ key }],
      skipDuplicates: true,
    });
    return count === 1;
  }

  /** Forgets keys seen before `date`; returns how many. */
  async purgeOlderThan(date: Date): Promise<number> {
    const { count } = await this.prisma.processedDelivery.deleteMany({ where: { createdAt: { lt: date } } });
    return count;
  }
}
