/** What the queue side records for operators; the process that serves metrics implements it. */

/** Jobs of one queue in one state, as read from Redis when metrics are scraped. */
export interface QueueDepth {
  queue: string;
  state: string;
  count: number;
}

export interface QueueDepthSource {
  depths(): Promise<QueueDepth[]>;
}

/** Why a run's attempt ended without a result: a trainer failure kind or what happened to its worker. */
export type TrainerFailureLabel =
  | 'oom'
  | 'bad_config'
  | 'bad_data'
  | 'unsupported'
  | 'disk_full'
  | 'cancelled'
  | 'crash'
  | 'storage'
  | 'lost_worker'
  | 'lock_lost';

export interface WorkerMetrics {
  /** Seconds from a run's enqueueing to the worker starting it. */
  queueWait(queue: string, seconds: number): void;
  trainerFailure(kind: TrainerFailureLabel): void;
}
