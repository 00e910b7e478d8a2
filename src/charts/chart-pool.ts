/**
 * Charts drawn on worker threads, so the event loop that acknowledges Slack commands and defers
 * Discord interactions never waits behind a render (each takes tens of milliseconds of CPU).
 * The same ReplyCharts port as the inline renderer, with the same images: the workers run the
 * same chart code (src/charts/chart-task.ts).
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { ImageAttachment } from '../chat/replies';
import type { ChartMethod, ChartResult, ChartTask } from './chart-task';
import { decisionChartInput } from './configs/decision';
import { createReplyCharts, type ReplyCharts } from './reply-charts';

const WORKER_URL = new URL('./chart-worker.mjs', import.meta.url).href;

/** Worker threads for charts: one per core, less one for the event loop, at least one. */
export function chartThreads(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

export interface ChartPoolOptions {
  /** Worker threads; default `chartThreads()`. */
  threads?: number;
  /** Where a worker failure is reported; default stderr. */
  log?: (message: string) => void;
  /** Draws a chart when the pool cannot (a worker failed, or the pool is closed); default inline. */
  inline?: ReplyCharts;
  /** The worker's entry point (tests point it elsewhere); default src/charts/chart-worker.mjs. */
  workerUrl?: string;
}

export interface PooledReplyCharts extends ReplyCharts {
  readonly threads: number;
  /** Lets renders in flight finish, then stops the worker threads; later charts are drawn inline. */
  close(): Promise<void>;
}

type Call<M extends ChartMethod> = ReplyCharts[M];

/** ReplyCharts backed by a piscina pool of chart worker threads. */
export function createPooledReplyCharts(options: ChartPoolOptions = {}): PooledReplyCharts {
  const threads = Math.max(1, Math.floor(options.threads ?? chartThreads()));
  const log = options.log ?? ((message: string) => console.error(message));
  const inline = options.inline ?? createReplyCharts();
  const pool = new Piscina<ChartTask, ChartResult>({
    filename: options.workerUrl ?? WORKER_URL,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
  });
  let closed = false;
  /** Set when no worker could start: charts are drawn inline from then on. */
  let broken = false;
  pool.on('error', (error: Error) => {
    if (broken) return;
    // Piscina does not replace a worker that fails while starting, and would hold queued calls:
    // when none is left, stop the pool (its queued calls fail and are drawn inline).
    if (pool.threads.length > 0) return log(`chart worker: ${error.message}`);
    broken = true;
    log(`chart workers could not start (${error.message}); charts are drawn on the main thread`);
    void pool.destroy();
  });

  const inlineCall = <M extends ChartMethod>(method: M, args: Parameters<Call<M>>) =>
    (inline[method] as (...a: unknown[]) => Promise<ChartResult>)(...args);

  /** Runs one call on the pool; if the pool fails, the chart is drawn inline and the failure logged. */
  async function run<M extends ChartMethod>(method: M, args: Parameters<Call<M>>): Promise<ChartResult> {
    if (closed || broken) return inlineCall(method, args);
    try {
      return await pool.run({ method, args } as ChartTask);
    } catch (error) {
      if (closed || broken) return inlineCall(method, args);
      log(`chart worker failed on ${method} (${(error as Error).message}); drawing it on the main thread`);
      return inlineCall(method, args);
    }
  }
  const one = (result: ChartResult) => (Array.isArray(result) ? (result[0] as ImageAttachment) : result);
  const many = (result: ChartResult) => (Array.isArray(result) ? result : [result]);

  return {
    threads,
    decision: async (verdict) => one(await run('decision', [decisionChartInput(verdict)])),
    comparison: async (input) => many(await run('comparison', [input])),
    cost: async (cost, basis) => one(await run('cost', [cost, basis])),
    scaling: async (analysis) => many(await run('scaling', [analysis])),
    combination: async (analysis) => many(await run('combination', [analysis])),
    close: async () => {
      if (closed) return;
      closed = true;
      if (!broken) await pool.close();
    },
  };
}
