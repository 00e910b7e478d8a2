import { OUTCOME_LABELS } from './paired-difference';
import type { TaskAnalysis } from './task-analysis';
import { formatDifference } from './uncertainty-format';

/** One line per task: the verdict on its primary metric with the paired difference. */
export function taskHeadline(task: TaskAnalysis): string {
  const primary = task.primary;
  if (!primary) return `${task.task}: no metric to compare (a method has no completed run).`;
  const { verdict, difference, metric } = primary;
  const only = !task.full?.runs.length ? 'LoRA' : !task.lora?.runs.length ? 'full fine-tuning' : undefined;
  if (only && difference.n === 0)
    return `${task.task}: only ${only} has completed runs, so there is nothing to compare it with (measured ${metric.label} below).`;
  const extra = verdict.outcome === 'no_significant_difference' ? ` (${verdict.note})` : '';
  return `${task.task}: ${OUTCOME_LABELS[verdict.outcome]} on ${metric.label} (full - LoRA ${formatDifference(difference)}, ${difference.n} paired seed${difference.n === 1 ? '' : 's'})${extra}.`;
}
