/** The fields of a trainer's result the core reads (the trainer writes more). */
export interface RunSummary {
  run_id: string;
  method: string;
  task: string;
  model: string;
  seed: number;
  learning_rate: number;
  train_curve: { step: number; loss: number }[];
  eval_curve: { step: number; eval_loss: number }[];
  final_eval_loss: number | null;
  test_loss?: number | null;
  metrics: Record<string, number | null>;
  metric_info?: Record<string, { description: string; higher_is_better: boolean }>;
  primary_metric?: string | null;
  primary_metric_stderr?: number | null;
  /** Test items scored (each with its paraphrases). */
  test_items?: number;
  /** False for a sweep point measured on the validation split only (no test set, no artifact). */
  test_evaluated?: boolean;
  /** Metrics a reader must not take at face value, with the reason (degenerate output, not computed). */
  metric_flags?: Record<string, string>;
  wall_time_s: number;
  tokens_per_s: number;
  peak_memory_bytes: number;
  memory_kind: string;
  trainable_params: number;
  total_params: number;
  /** The base model's parameters (total_params counts a LoRA run's adapter too). */
  base_model_params?: number;
  /** Present on every run with a test set (validation-only sweep points save nothing and join no arm). */
  artifact_bytes: number;
  artifact_kind: string;
  device: string;
  gpu_hours: number;
  device_hours?: number;
  /** The adapter the trainer built (LoRA methods): rank, alpha, dropout, targets and the rank rule. */
  lora?: LoraUsed | null;
}

export interface LoraUsed {
  rank: number;
  alpha: number;
  dropout: number;
  target_modules: string | string[];
  targets_used?: string[];
  /** "preset" (as written), "scaled" (by model width) or "explicit" (given in the request). */
  rank_rule?: string;
  rank_rule_note?: string;
  /** True when the rank was shrunk from the preset by the model's width. */
  rank_scaled?: boolean;
  preset?: { r: number; alpha: number; dropout: number };
}

export interface RunLike {
  id: string;
  task: string;
  method: string;
  seed: number;
  learningRate: number;
  /** The LoRA rank the run was planned with (a rank sweep or rank=); null or absent otherwise. */
  loraRank?: number | null;
  /**
   * False: a sweep point planned without the test set (validation loss only); the point chosen is
   * trained again on that seed with it. Absent or true: an ordinary run.
   */
  testSet?: boolean;
  state: string;
  summary: unknown;
  error: unknown;
}

export function summaryOf(run: RunLike): RunSummary | undefined {
  const s = run.summary as RunSummary | null;
  return s && typeof s === 'object' && typeof s.wall_time_s === 'number' ? s : undefined;
}

/** A run that measured (or will measure) no test set: a sweep point on the validation split only. */
export const validationOnly = (run: RunLike): boolean =>
  run.testSet === false || summaryOf(run)?.test_evaluated === false;
