import { type Arm, meanOf } from '../../analysis/arms';
import type { TaskAnalysis } from '../../analysis/task-analysis';
import { armConfigText } from '../../comparison/lora-config-text';
import { formatPercent, formatRate } from '../../format/units';
import { METHOD_NAMES } from '../palette';

function armText(arm: Arm | undefined, method: 'lora' | 'full'): string | undefined {
  if (!arm?.runs.length) return undefined;
  const trainable = meanOf(arm.runs, (r) => r.trainable_params);
  const total = meanOf(arm.runs, (r) => r.total_params);
  const share = trainable !== undefined && total ? `, ${formatPercent(trainable / total, 2)} trainable` : '';
  const lr = arm.chosenLr === undefined ? '' : `, LR ${formatRate(arm.chosenLr)}`;
  return `${METHOD_NAMES[method]}: ${armConfigText(arm.runs)}${lr}${share}`;
}

/** One subtitle line with what each method trained: LoRA's rank, alpha, dropout, layers; the chosen LR. */
export function armSettingsLine(task: TaskAnalysis): string | undefined {
  const parts = [armText(task.lora, 'lora'), armText(task.full, 'full')].filter((p): p is string => !!p);
  return parts.length ? parts.join(' | ') : undefined;
}

/** The line shared by several tasks, or a pointer to the results table when their settings differ. */
export function sharedArmSettingsLine(tasks: readonly TaskAnalysis[]): string | undefined {
  const lines = [...new Set(tasks.map(armSettingsLine).filter((l): l is string => !!l))];
  if (lines.length <= 1) return lines[0];
  return 'LoRA settings and learning rates differ per task: see the results table';
}
