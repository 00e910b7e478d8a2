/**
 * Per-team concurrency: at most N runs of one team active at once across all workers. Each active
 * run holds a lease in a Redis sorted set (score = expiry), refreshed while it runs, so a worker that
 * dies frees its team's place when the lease runs out.
 */
import { Redis } from 'ioredis';
import type { RedisConnectionOptions } from './redis-connection';

const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
  return 1
end
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 1
end
return 0`;

export class TeamConcurrencyLimiter {
  private readonly client: Redis;

  constructor(
    connection: RedisConnectionOptions,
    private readonly prefix: string,
    private readonly leaseMs = 60_000,
  ) {
    this.client = new Redis({ ...connection, lazyConnect: true });
    this.client.on('error', () => {});
  }

  private key(teamKey: string): string {
    return `${this.prefix}:faceoff:team-active:${teamKey}`;
  }

  /** Takes one of the team's `limit` places for this job; false when all are taken. */
  async tryAcquire(teamKey: string, jobId: string, limit: number): Promise<boolean> {
    const now = Date.now();
    const result = await this.client.eval(
      ACQUIRE,
      1,
      this.key(teamKey),
      now,
      now + this.leaseMs,
      jobId,
      limit,
      this.leaseMs * 2,
    );
    return result === 1;
  }

  /** Keeps the place while the run is active; call every lease/3. */
  async refresh(teamKey: string, jobId: string): Promise<void> {
    await this.client.zadd(this.key(teamKey), 'XX', Date.now() + this.leaseMs, jobId);
  }

  async release(teamKey: string, jobId: string): Promise<void> {
    await this.client.zrem(this.key(teamKey), jobId);
  }

  /** Holds a place for the duration of `task`, refreshing the lease. */
  async hold<T>(teamKey: string, jobId: string, task: () => Promise<T>): Promise<T> {
    const timer = setInterval(
      () => void this.refresh(teamKey, jobId).catch(() => {}),
      Math.max(1000, this.leaseMs / 3),
    );
    try {
      return await task();
    } finally {
      clearInterval(timer);
      await this.release(teamKey, jobId).catch(() => {});
    }
  }

  close(): void {
    this.client.disconnect();
  }
}
