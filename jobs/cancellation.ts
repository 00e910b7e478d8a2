/**
 * Cancellation requests shared by the control plane and every GPU worker, through Redis:
 * a set `<prefix>:faceoff:cancelled` (expiring) that a worker checks before starting a run, and a
 * channel `<prefix>:faceoff:cancel` that tells running workers to stop a job now.
 */
import { Redis } from 'ioredis';
import type { RedisConnectionOptions } from './redis-connection';

export const DEFAULT_CANCELLATION_TTL_S = 7 * 24 * 3600;

export type CancellationHandler = (jobIds: string[]) => void;

export interface CancellationRegistryOptions {
  connection: RedisConnectionOptions;
  /** The BullMQ queue prefix (keys become `<prefix>:faceoff:...`). */
  prefix: string;
  /** How long the set of cancelled ids is kept after the latest cancellation. */
  ttlSeconds?: number;
  log?: (message: string) => void;
}

export class CancellationRegistry {
  readonly setKey: string;
  readonly channel: string;
  private readonly client: Redis;
  private subscriber: Redis | undefined;
  private readonly handlers = new Set<CancellationHandler>();
  private readonly ttlSeconds: number;
  private readonly log: (message: string) => void;

  constructor(options: CancellationRegistryOptions) {
    this.setKey = `${options.prefix}:faceoff:cancelled`;
    this.channel = `${options.prefix}:faceoff:cancel`;
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_CANCELLATION_TTL_S;
    this.log = options.log ?? (() => {});
    this.client = new Redis({ ...options.connection, lazyConnect: true });
    this.client.on('error', (error) => this.log(`cancellation registry: Redis error: ${error.message}`));
  }

  /** Marks the jobs cancelled (so they never start) and tells running workers to stop them. */
  async cancel(jobIds: string[]): Promise<void> {
    const ids = [...new Set(jobIds.filter((id) => id.length > 0))];
    if (ids.length === 0) return;
    await this.client
      .multi()
      .sadd(this.setKey, ...ids)
      .expire(this.setKey, this.ttlSeconds)
      .publish(this.channel, JSON.stringify({ jobIds: ids }))
      .exec();
  }

  async isCancelled(jobId: string): Promise<boolean> {
    return (await this.client.sismember(this.setKey, jobId)) === 1;
  }

  /** Calls `handler` with the ids of every cancellation published from now on; resolves once listening. */
  async subscribe(handler: CancellationHandler): Promise<() => void> {
    this.handlers.add(handler);
    if (!this.subscriber) {
      const subscriber = this.client.duplicate();
      this.subscriber = subscriber;
      subscriber.on('error', (error) => this.log(`cancellation subscriber: Redis error: ${error.message}`));
      subscriber.on('message', (channel: string, message: string) => {
        if (channel === this.channel) this.dispatch(message);
      });
      await subscriber.subscribe(this.channel);
    }
    return () => {
      this.handlers.delete(handler);
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.allSettled([quit(this.subscriber), quit(this.client)]);
    this.subscriber = undefined;
  }

  private dispatch(message: string): void {
    const ids = parseCancelMessage(message);
    if (!ids) {
      this.log(`cancellation subscriber: ignored a malformed message: ${message.slice(0, 120)}`);
      return;
    }
    for (const handler of this.handlers) {
      try {
        handler(ids);
      } catch (error) {
        this.log(`cancellation handler failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

export function parseCancelMessage(message: string): string[] | null {
  try {
    const parsed: unknown = JSON.parse(message);
    const ids = (parsed as { jobIds?: unknown }).jobIds;
    if (Array.isArray(ids) && ids.every((id) => typeof id === 'string')) return ids;
  } catch {}
  return null;
}

async function quit(client: Redis | undefined): Promise<void> {
  if (!client) return;
  if (client.status === 'wait' || client.status === 'end') {
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
