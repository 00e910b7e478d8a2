/**
 * Learning against forgetting, measured per run by the trainer: the task's validation loss before
 * and after fine-tuning (learning: how much it fell) and the base model's loss on general text
 * that is not task data (forgetting: how much it rose), for each method's chosen runs.
 */
import type { Table } from '../chat/replies';
import { formatNumber } from '../format/units';
import type { RunSummary } from './run-summary';
import { summarize } from './statistics';
import type { TaskAnalysis } from './task-analysis';

export interface RunForgetting {
  general_loss_before: number;
  general_loss_after: number;
  forgetting: number;
  task_loss_before: number;
  task_loss_after: number;
  learning: number;
  texts: number;
  tokens: number;
  source: string;
}

export function forgettingOf(run: RunSummary): RunForgetting | undefined {
  const f = (run as RunSummary & { forgetting?: RunForgetting | null }).forgetting;
  return f && Number.isFinite(f.forgetting) && Number.isFinite(f.learning) ? f : undefined;
}

/** One point per run: what it learned and what it forgot. */
export interface ForgettingPoint {
  task: string;
  method: 'lora' | 'full';
  seed: number;
  learning: number;
  forgetting: number;
}

export function forgettingPoints(task: TaskAnalysis): ForgettingPoint[] {
  const points: ForgettingPoint[] = [];
  for (const method of ['lora', 'full'] as const)
    for (const run of task[method]?.runs ?? []) {
      const f = forgettingOf(run);
      if (f)
        points.push({
          task: task.task,
          method,
          seed: run.seed,
          learning: f.learning,
          forgetting: f.forgetting,
        });
    }
  return points;
}

const LABEL = { lora: 'LoRA', full: 'Full FT' } as const;

function meanWithInterval(values: number[]): string {
  const s = summarize(values);
  if (s.mean === undefined) return '-';
  return s.halfWidth === undefined
    ? formatNumber(s.mean)
    : `${formatNumber(s.mean)} ± ${formatNumber(s.halfWidth)}`;
}

/** Undefined unless some chosen run measured it. */
export function forgettingTable(task: TaskAnalysis): Table | undefined {
  const rows: string[][] = [];
  let source: RunForgetting | undefined;
  for (const method of ['lora', 'full'] as const) {
    const measured = (task[method]?.runs ?? []).map(forgettingOf).filter((f): f is RunForgetting => !!f);
    if (!measured.length) continue;
    source ??= measured[0];
    const mean = (pick: (f: RunForgetting) => number) => formatNumber(summarize(measured.map(pick)).mean);
    rows.push([
      LABEL[method],
      String(measured.length),
      `${mean((f) => f.task_loss_before)} -> ${mean((f) => f.task_loss_after)}`,
      meanWithInterval(measured.map((f) => f.learning)),
      `${mean((f) => f.general_loss_before)} -> ${mean((f) => f.general_loss_after)}`,
      meanWithInterval(measured.map((f) => f.forgetting)),
    ]);
  }
  if (!rows.length || !source) return undefined;
  return {
    title: `Learning and forgetting, ${task.task} (measured)`,
    columns: [
      { header: 'Method' },
      { header: 'Seeds', align: 'right' },
      { header: 'Task val loss before -> after' },
      { header: 'Learning (fall)', align: 'right' },
      { header: 'General-text loss before -> after' },
      { header: 'Forgetting (rise)', align: 'right' },
    ],
    rows,
    notes: [
      `Losses in nats per token, mean over the chosen runs' seeds (± half the 95% t interval with 2+ seeds). General text: ${source.texts} ${source.source}, ${source.tokens} tokens, measured on the base model before training and on the fine-tuned model after.`,
    ],
  };
}
