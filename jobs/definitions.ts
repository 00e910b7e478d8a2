/**
 * Every job Faceoff queues, its payload and result types, and the queue it goes to.
 * A comparison is a BullMQ flow: one `comparison` parent with one `training-run` child per
 * (task x method x seed x learning rate); the parent is processed once every child has ended.
 */
import type { FlowJob, JobsOptions } from 'bullmq';
import type { RunConfig, TrainerSummary } from './trainer-protocol';

export const JOB_NAMES = ['comparison', 'training-run'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export const QUEUES = { comparisons: 'faceoff-comparisons', runs: 'faceoff-runs' } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS_TO_QUEUE: Record<JobName, QueueName> = {
  comparison: QUEUES.comparisons,
  'training-run': QUEUES.runs,
};

export interface ComparisonPayload {
  /** ComparisonJob id in the database. */
  comparisonId: string;
  teamKey: string;
}

export interface TrainingRunPayload {
  comparisonId: string;
  /** ComparisonRun id in the database. */
  runId: string;
  teamKey: string;
  /** At most this many runs of the team active at once across workers; absent = no limit. */
  teamConcurrency?: number;
  /** What the trainer is given (run_id = runId): a `train` config, or a `combine` config. */
  config: RunConfig;
}

/** What a training-run child returns to its parent and the control plane. */
export interface TrainingRunResult {
  runId: string;
  status: 'completed' | 'cancelled';
  summary?: TrainerSummary;
  /** Where the run's files are, on the worker's artifact store. */
  outputDir: string;
}

export interface ComparisonResult {
  comparisonId: string;
  completed: string[];
  failed: { runId: string; reason: string }[];
}

export interface JobPayloads {
  comparison: ComparisonPayload;
  'training-run': TrainingRunPayload;
}

export interface JobResults {
  comparison: ComparisonResult;
  'training-run': TrainingRunResult;
}

/** The queue a job name goes to. */
export function queueOf<N extends JobName>(name: N): (typeof JOBS_TO_QUEUE)[N] {
  return JOBS_TO_QUEUE[name];
}

/** A node of a BullMQ flow whose queue and payload type follow from the job name. */
export function flowJob<N extends JobName>(
  name: N,
  data: JobPayloads[N],
  opts: JobsOptions,
  children?: FlowJob[],
): FlowJob {
  return { name, queueName: queueOf(name), data, opts, ...(children ? { children } : {}) };
}

/** Progress a training run reports through `job.updateProgress` (stored and shown by the control plane). */
export interface RunProgress {
  phase: 'starting' | 'training' | 'evaluating' | 'finished';
  step: number;
  total: number;
  loss?: number;
  evalLoss?: number;
  tokensPerS?: number;
  lr?: number;
  /** New points since the last report, for the metric series. */
  points?: { series: string; step: number; value: number }[];
  metrics?: Record<string, number>;
  /** Test prompts generated so far and in all, while the test set is being evaluated. */
  evalDone?: number;
  evalTotal?: number;
  /** The checkpoint step this attempt continued from (a retry of a run that was interrupted). */
  resumedFrom?: number;
  updatedAt: number;
}
