import type { RunLike } from '../analysis/run-summary';
import type { Reply } from '../chat/replies';
import { adaptersFor } from './combine-plan';
import type { ComparisonRequest, Method } from './request';

export interface DispatchRun {
  runId: string;
  task: string;
  method: Method;
  seed: number;
  learningRate: number;
  /** The LoRA rank to train with; absent: the preset or the rank rule's. */
  rank?: number;
  /** False: a sweep point measured on the validation split only (plan.ts). */
  testSet?: false;
  /** A combination run: the artifact directory of each skill run it combines, by skill. */
  adapters?: Record<string, string>;
}

/**
 * A stored run as the queue needs it; `siblings` (the job's runs) give a combination run the
 * artifact directories of the skill runs it combines.
 */
export function dispatchRun(
  run: Pick<RunLike, 'id' | 'task' | 'method' | 'seed' | 'learningRate' | 'loraRank' | 'testSet'>,
  siblings: Parameters<typeof adaptersFor>[1] = [],
): DispatchRun {
  const adapters = adaptersFor(run, siblings);
  return {
    ...(Object.keys(adapters).length ? { adapters } : {}),
    runId: run.id,
    task: run.task,
    method: run.method as Method,
    seed: run.seed,
    learningRate: run.learningRate,
    ...(typeof run.loraRank === 'number' ? { rank: run.loraRank } : {}),
    ...(run.testSet === false ? { testSet: false as const } : {}),
  };
}

export interface DispatchInput {
  comparisonId: string;
  teamKey: string;
  request: ComparisonRequest;
  /** Paths of the registered datasets by task name (the dataset id) when the tasks are datasets. */
  datasetPaths?: Record<string, string>;
  runs: DispatchRun[];
  /** Distinguishes a retry's queue jobs from the first attempt's (`r1`, `r2`, ...). */
  attemptTag?: string;
  /** A later stage of a staged comparison (its parent job is `<id>-s<stage>`). */
  stage?: number;
}

/** The queue, seen from the core: BullMQ implements it under jobs/. */
export interface ComparisonDispatcher {
  dispatch(input: DispatchInput): Promise<void>;
  /** Stops these runs: waiting ones never start, running trainers get SIGTERM. */
  cancel(comparisonId: string, queueJobIds: string[]): Promise<void>;
}

/** Posts a reply into a conversation (by conversation or channel key) outside any request. */
export interface Notifier {
  post(conversationKey: string, reply: Reply): Promise<void>;
}
