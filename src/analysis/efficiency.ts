import type { RunSummary } from './run-summary';
import { type SampleSummary, summarize } from './statistics';

export type EfficiencyKey = 'wall_time_s' | 'peak_memory_bytes' | 'trainable_params' | 'artifact_bytes';
export type EfficiencyUnit = 'seconds' | 'bytes' | 'parameters';

/** One resource both methods used, measured per run. */
export interface EfficiencyMeasure {
  key: EfficiencyKey;
  label: string;
  unit: EfficiencyUnit;
  lora: SampleSummary;
  full: SampleSummary;
  /** Full fine-tuning's mean over LoRA's mean; undefined when either is missing or LoRA's is 0. */
  ratio: number | undefined;
}

const MEASURES: { key: EfficiencyKey; label: string; unit: EfficiencyUnit }[] = [
  { key: 'wall_time_s', label: 'Wall time', unit: 'seconds' },
  { key: 'peak_memory_bytes', label: 'Peak memory', unit: 'bytes' },
  { key: 'trainable_params', label: 'Trainable parameters', unit: 'parameters' },
  { key: 'artifact_bytes', label: 'Storage (saved artifact)', unit: 'bytes' },
];

/** How the trainer measured peak memory, in words. */
export function memoryLabel(runs: readonly RunSummary[]): string {
  const kinds = new Set(runs.map((r) => r.memory_kind));
  if (kinds.size === 1 && kinds.has('gpu_max_memory_allocated')) return 'Peak GPU memory';
  if (kinds.size === 1 && kinds.has('cpu_peak_rss_process')) return 'Peak memory (process RSS, CPU)';
  return 'Peak memory';
}

export function ratioOf(full: number | undefined, lora: number | undefined): number | undefined {
  return full === undefined || lora === undefined || lora === 0 ? undefined : full / lora;
}

/** Wall time, peak memory, trainable parameters and artifact size of both methods, with full/LoRA ratios. */
export function efficiencyMeasures(
  lora: readonly RunSummary[],
  full: readonly RunSummary[],
): EfficiencyMeasure[] {
  return MEASURES.map(({ key, label, unit }) => {
    const loraSummary = summarize(lora.map((r) => r[key]));
    const fullSummary = summarize(full.map((r) => r[key]));
    return {
      key,
      label: key === 'peak_memory_bytes' ? memoryLabel([...lora, ...full]) : label,
      unit,
      lora: loraSummary,
      full: fullSummary,
      ratio: ratioOf(fullSummary.mean, loraSummary.mean),
    };
  });
}
