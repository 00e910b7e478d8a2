/** What the comparison repository takes and returns. Json columns are `unknown`: the core owns their shape. */

export type JobState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
export type RunState = JobState;

export const JOB_STATES: readonly JobState[] = ['queued', 'running', 'completed', 'failed', 'cancelled'];
export const FINISHED_STATES: readonly JobState[] = ['completed', 'failed', 'cancelled'];

export interface RunSpec {
  task: string;
  method: string;
  seed: number;
  learningRate: number;
  /** The LoRA rank the run was planned with; null or absent: full, or the preset / rank rule's. */
  loraRank?: number | null;
  /** False: a sweep point measured on the validation split only (absent: true). */
  testSet?: boolean;
}

export interface NewComparisonJob {
  teamKey: string;
  conversationKey: string;
  requesterId: string;
  request: unknown;
  plan: unknown;
  /** In plan order; run ids are `<jobId>-1`, `<jobId>-2`, ... */
  runs: RunSpec[];
  /** The study it is part of (one comparison of a scaling study). */
  studyId?: string;
}

export interface ComparisonRunRecord extends RunSpec {
  id: string;
  jobId: string;
  /** 1-based position in the job's plan. */
  ordinal: number;
  state: RunState;
  attempts: number;
  progress: unknown;
  summary: unknown;
  error: unknown;
  artifactPath: string | null;
  queueJobId: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export interface ComparisonJobRecord {
  /** Seven characters people can type, e.g. `k3x9qpa`. */
  id: string;
  teamId: string;
  conversationKey: string;
  requesterId: string;
  state: JobState;
  request: unknown;
  plan: unknown;
  summary: unknown;
  error: string | null;
  progressMessageKey: string | null;
  announcedAt: Date | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** The study it is part of; null (or absent) for a comparison on its own. */
  studyId?: string | null;
  /** Ordered by `ordinal`. */
  runs: ComparisonRunRecord[];
}

/** A completed run with the team and request of its job (for measured time per step). */
export interface MeasuredRun {
  run: ComparisonRunRecord;
  teamId: string;
  request: unknown;
}

export interface JobStateChange {
  error?: string | null;
  /** null clears it. */
  summary?: unknown;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  /** Only change the state if it is currently one of these (e.g. do not revive a cancelled job). */
  from?: readonly JobState[];
  /** Marks the job announced in the same change (its announcement is among the notices written). */
  announced?: boolean;
}

/** Fields left out stay as they are; null clears an optional field. */
export interface RunPatch {
  state?: RunState;
  attempts?: number | { increment: number };
  progress?: unknown;
  summary?: unknown;
  error?: unknown;
  artifactPath?: string | null;
  queueJobId?: string | null;
  startedAt?: Date | null;
  finishedAt?: Date | null;
}

export interface MetricPoint {
  series: string;
  step: number;
  value: number;
}

/** Series name (e.g. `train_loss`) to its points, by step. */
export type MetricSeries = Record<string, { step: number; value: number }[]>;
