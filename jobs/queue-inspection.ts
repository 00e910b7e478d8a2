/**
 * Read access to both Faceoff queues for operators: job counts by state (queue depth metrics) and the
 * BullMQ queue objects the dashboard shows. One Redis connection per queue, closed with close().
 */
import { type JobType, Queue } from 'bullmq';
import { QUEUES } from './definitions';
import type { QueueDepth, QueueDepthSource } from './job-metrics';
import type { RedisConnectionOptions } from './redis-connection';

/** The states counted: where jobs wait (waiting, prioritized, for their children, delayed), run, or failed. */
export const COUNTED_STATES = [
  'waiting',
  'prioritized',
  'waiting-children',
  'active',
  'delayed',
  'failed',
] as const satisfies readonly JobType[];

export class QueueInspection implements QueueDepthSource {
  readonly queues: Queue[];

  constructor(connection: RedisConnectionOptions, prefix: string, log: (message: string) => void = () => {}) {
    this.queues = Object.values(QUEUES).map((name) => {
      const queue = new Queue(name, { connection, prefix });
      queue.on('error', (error) => log(`queue ${name}: ${error.message}`));
      return queue;
    });
  }

  async depths(): Promise<QueueDepth[]> {
    const all = await Promise.all(
      this.queues.map(async (queue) => {
        const counts = await queue.getJobCounts(...COUNTED_STATES);
        return COUNTED_STATES.map((state) => ({ queue: queue.name, state, count: counts[state] ?? 0 }));
      }),
    );
    return all.flat();
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.queues.map((queue) => queue.close()));
  }
}
