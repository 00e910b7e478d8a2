/**
 * Turns trainer events into `RunProgress` reports: new metric points accumulate between reports,
 * step reports go out at most once per interval, start / eval / finish go out at once.
 */
import type { RunProgress } from '../definitions';
import type { TrainerEvent } from '../trainer-protocol';

type Point = NonNullable<RunProgress['points']>[number];

export interface RunProgressReporterOptions {
  send: (progress: RunProgress) => Promise<void>;
  /** Shortest time between two step reports (default 1000 ms). */
  intervalMs?: number;
  now?: () => number;
  log?: (message: string) => void;
}

export class RunProgressReporter {
  private readonly send: (progress: RunProgress) => Promise<void>;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private state: Omit<RunProgress, 'points' | 'updatedAt'> = { phase: 'starting', step: 0, total: 0 };
  private points: Point[] = [];
  private dirty = false;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(options: RunProgressReporterOptions) {
    this.send = options.send;
    this.intervalMs = options.intervalMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
  }

  onEvent(event: TrainerEvent): void {
    switch (event.event) {
      case 'started':
        this.state = {
          ...this.state,
          phase: 'starting',
          step: 0,
          total: event.total_steps,
          // A combination trains nothing: no learning rate, no steps (progress is the evaluation's).
          ...(event.learning_rate !== null ? { lr: event.learning_rate } : {}),
        };
        this.dirty = true;
        this.report();
        return;
      case 'resumed':
        this.state = {
          ...this.state,
          phase: 'training',
          step: event.step,
          total: event.total,
          resumedFrom: event.step,
        };
        this.dirty = true;
        this.report();
        return;
      case 'step':
        this.state = {
          ...this.state,
          phase: 'training',
          step: event.step,
          total: event.total,
          loss: event.loss,
          lr: event.lr,
          tokensPerS: event.tokens_per_s,
        };
        this.points.push({ series: 'train_loss', step: event.step, value: event.loss });
        this.dirty = true;
        this.throttledReport();
        return;
      case 'eval': {
        const series = seriesForSplit(event.split);
        const metrics = { ...this.state.metrics };
        for (const [name, value] of Object.entries(event.metrics)) if (value !== null) metrics[name] = value;
        this.state = { ...this.state, phase: 'evaluating', step: event.step, metrics };
        if (event.eval_loss !== null) {
          if (series === 'eval_loss') this.state.evalLoss = event.eval_loss;
          this.points.push({ series, step: event.step, value: event.eval_loss });
        }
        this.dirty = true;
        this.report();
        return;
      }
      case 'evaluating':
        this.state = { ...this.state, phase: 'evaluating', evalDone: event.done, evalTotal: event.total };
        this.dirty = true;
        if (event.done === 0 || event.done === event.total) this.report();
        else this.throttledReport();
        return;
      case 'finished':
        this.state = { ...this.state, phase: 'finished', step: Math.max(this.state.step, this.state.total) };
        this.dirty = true;
        this.report();
        return;
      case 'failed':
        this.report();
        return;
    }
  }

  /** Sends anything not yet reported and waits until every report is written. */
  async flush(): Promise<void> {
    this.report();
    await this.chain;
  }

  private throttledReport(): void {
    const wait = this.lastSentAt + this.intervalMs - this.now();
    if (wait <= 0) {
      this.report();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.report();
    }, wait);
    this.timer.unref?.();
  }

  private report(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty) return;
    const progress: RunProgress = { ...this.state, updatedAt: this.now() };
    if (this.points.length > 0) progress.points = this.points;
    this.points = [];
    this.dirty = false;
    this.lastSentAt = this.now();
    this.chain = this.chain.then(() =>
      this.send(progress).catch((error: unknown) => {
        this.log(`progress report failed: ${error instanceof Error ? error.message : String(error)}`);
      }),
    );
  }
}

/** Validation evals (no split, or validation/val/eval) feed `eval_loss`; other splits `<split>_loss`. */
export function seriesForSplit(split: string | undefined): string {
  if (split === undefined || split === 'validation' || split === 'val' || split === 'eval')
    return 'eval_loss';
  return `${split.replace(/[^A-Za-z0-9_]/g, '_')}_loss`;
}
