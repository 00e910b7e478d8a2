/**
 * The contract between the worker and the Python trainer (jobs/trainer/PROTOCOL.md is the prose).
 * Command: `python3 -m faceoff_trainer train --config CONFIG.json --output-dir DIR` (PYTHONPATH=jobs/trainer);
 * `combine` instead of `train` for a combine config (skill adapters combined and evaluated).
 * Events: one JSON object per stdout line. Exit codes: 0 ok, 2 bad config or data, 143 cancelled, other = crash.
 */
import { z } from 'zod';
import { COMBINATIONS } from '../src/comparison/combinations';
import { METHODS, type Method } from '../src/tasks/methods';

export const TRAINER_EXIT = { ok: 0, badInput: 2, cancelled: 143 } as const;

export const trainerConfigSchema = z
  .object({
    run_id: z.string().min(1),
    task: z.string().min(1),
    dataset_path: z.string().optional(),
    model: z.string().min(1),
    method: z.enum(METHODS as readonly [Method, ...Method[]]),
    seed: z.number().int().min(0),
    max_steps: z.number().int().min(1),
    batch_size: z.number().int().min(1).optional(),
    seq_len: z.number().int().min(16).optional(),
    learning_rate: z.number().positive().nullable().optional(),
    lora: z
      .object({
        r: z.number().int().min(1).optional(),
        alpha: z.number().positive().optional(),
        dropout: z.number().min(0).max(1).optional(),
        target_modules: z.union([z.string(), z.array(z.string())]).optional(),
        rank_rule: z.enum(['preset', 'scaled']).optional(),
      })
      .strict()
      .optional(),
    max_new_tokens: z.number().int().min(1).optional(),
    dtype: z.enum(['auto', 'float32', 'bfloat16', 'float16']).optional(),
    gradient_checkpointing: z.boolean().optional(),
    /** False: a sweep point measured on the validation split only (no test set, artifact or probe). */
    test_set: z.boolean().optional(),
    eval_every: z.number().int().min(1).optional(),
    eval_size: z.number().int().min(1).optional(),
    test_size: z.number().int().min(1).optional(),
    test_paraphrases: z.number().int().min(1).optional(),
    gpus: z.number().int().min(0).optional(),
    deploy_requests: z.number().int().min(0).optional(),
    checkpoint_eval_size: z.number().int().min(0).optional(),
    quality_checkpoints: z.number().int().min(0).optional(),
    checkpoint_every: z.number().int().min(0).nullable().optional(),
    forgetting_texts: z.number().int().min(0).optional(),
    /** Train on one skill's training set, or `all` of them (tasks with skills, or skill_datasets). */
    skill: z.string().min(1).optional(),
    /** With task `dataset`: one JSONL file per skill. */
    skill_datasets: z.record(z.string(), z.string()).optional(),
  })
  .strict();

export type TrainerConfig = z.infer<typeof trainerConfigSchema>;

/** The config of `combine` (PROTOCOL.md, "Combining skill adapters"): nothing is trained. */
export const combineConfigSchema = z
  .object({
    run_id: z.string().min(1),
    task: z.string().min(1),
    /** `{skill: directory}`: the output directory of each skill's LoRA `train` run. */
    adapters: z.record(z.string(), z.string().min(1)),
    combination: z.enum(COMBINATIONS),
    model: z.string().min(1),
    seed: z.number().int().min(0).optional(),
    weights: z.record(z.string(), z.number()).nullable().optional(),
    density: z.number().gt(0).max(1).nullable().optional(),
    skill_datasets: z.record(z.string(), z.string()).optional(),
    seq_len: z.number().int().min(16).optional(),
    dtype: z.enum(['auto', 'float32', 'bfloat16', 'float16']).optional(),
    eval_size: z.number().int().min(1).optional(),
    test_size: z.number().int().min(1).optional(),
    test_paraphrases: z.number().int().min(1).optional(),
    max_new_tokens: z.number().int().min(1).optional(),
    forgetting_texts: z.number().int().min(0).optional(),
    deploy_requests: z.number().int().min(0).optional(),
  })
  .strict();

export type CombineConfig = z.infer<typeof combineConfigSchema>;

/** What a training-run job gives the trainer: a `train` config or a `combine` config. */
export type RunConfig = TrainerConfig | CombineConfig;

export const isCombineConfig = (config: RunConfig): config is CombineConfig => 'combination' in config;

/** Validates a run's config: a combine config when it names a `combination`, else a train config. */
export function parseRunConfig(raw: unknown) {
  const combine = typeof raw === 'object' && raw !== null && 'combination' in raw;
  return combine ? combineConfigSchema.safeParse(raw) : trainerConfigSchema.safeParse(raw);
}

const base = { run_id: z.string(), time: z.number() };

export const trainerEventSchema = z.discriminatedUnion('event', [
  z
    .object({
      ...base,
      event: z.literal('started'),
      method: z.string(),
      model: z.string(),
      task: z.string(),
      seed: z.number(),
      /** null from `combine`, which trains nothing (and has total_steps 0). */
      learning_rate: z.number().nullable(),
      total_steps: z.number(),
      trainable_params: z.number(),
      total_params: z.number(),
      device: z.string(),
    })
    .passthrough(),
  z
    .object({
      ...base,
      event: z.literal('step'),
      step: z.number(),
      total: z.number(),
      loss: z.number(),
      lr: z.number(),
      tokens_per_s: z.number(),
    })
    .passthrough(),
  z
    .object({
      ...base,
      event: z.literal('eval'),
      step: z.number(),
      eval_loss: z.number().nullable(),
      metrics: z.record(z.string(), z.number().nullable()).default({}),
      split: z.string().optional(),
    })
    .passthrough(),
  z
    .object({ ...base, event: z.literal('resumed'), step: z.number().int().min(0), total: z.number() })
    .passthrough(),
  z
    .object({
      ...base,
      event: z.literal('evaluating'),
      split: z.string().optional(),
      done: z.number(),
      total: z.number(),
    })
    .passthrough(),
  z
    .object({ ...base, event: z.literal('finished'), summary: z.record(z.string(), z.unknown()) })
    .passthrough(),
  z
    .object({
      ...base,
      event: z.literal('failed'),
      kind: z.enum(['oom', 'bad_config', 'bad_data', 'cancelled', 'unsupported', 'disk_full', 'crash']),
      message: z.string(),
      step: z.number().optional(),
      batch_size: z.number().optional(),
    })
    .passthrough(),
]);

export type TrainerEvent = z.infer<typeof trainerEventSchema>;
export type TrainerFailure = Extract<TrainerEvent, { event: 'failed' }>;

/** The result JSON a finished run writes (the fields the product reads; more may be present). */
export const trainerSummarySchema = z
  .object({
    run_id: z.string(),
    method: z.string(),
    task: z.string(),
    model: z.string(),
    seed: z.number(),
    /** null for a combined adapter: nothing was trained. */
    learning_rate: z.number().nullable(),
    train_curve: z.array(z.object({ step: z.number(), loss: z.number() })),
    /** The checkpoint step a retried run continued from; null when it trained from step 1. */
    resumed_from_step: z.number().nullable().optional(),
    /** General-text and task losses before and after training (forgetting vs learning). */
    forgetting: z
      .object({
        general_loss_before: z.number(),
        general_loss_after: z.number(),
        forgetting: z.number(),
        task_loss_before: z.number(),
        task_loss_after: z.number(),
        learning: z.number(),
        texts: z.number().int(),
        tokens: z.number().int(),
        source: z.string(),
      })
      .passthrough()
      .nullable()
      .optional(),
    eval_curve: z.array(z.object({ step: z.number(), eval_loss: z.number() })),
    final_eval_loss: z.number().nullable(),
    test_loss: z.number().nullable().optional(),
    metrics: z.record(z.string(), z.number().nullable()),
    metric_info: z
      .record(z.string(), z.object({ description: z.string(), higher_is_better: z.boolean() }).passthrough())
      .optional(),
    primary_metric: z.string().nullable().optional(),
    wall_time_s: z.number(),
    tokens_per_s: z.number(),
    peak_memory_bytes: z.number(),
    memory_kind: z.string(),
    trainable_params: z.number(),
    total_params: z.number(),
    // absent only on a sweep point measured on the validation split only (it saves nothing)
    artifact_bytes: z.number().optional(),
    artifact_kind: z.string().optional(),
    test_evaluated: z.boolean().optional(),
    device: z.string(),
    gpu_hours: z.number(),
    device_hours: z.number().optional(),
  })
  .passthrough()
  .superRefine((summary, ctx) => {
    if (summary.test_evaluated === false) return;
    for (const key of ['artifact_bytes', 'artifact_kind'] as const)
      if (summary[key] === undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: 'required unless test_evaluated is false' });
  });

export type TrainerSummary = z.infer<typeof trainerSummarySchema>;

export type ParsedLine = { ok: true; event: TrainerEvent } | { ok: false; reason: string };

/** Parses one stdout line; malformed or unknown lines are reported, never thrown. */
export function parseTrainerLine(line: string): ParsedLine {
  const trimmed = line.trim();
  if (!trimmed) return { ok: false, reason: 'empty line' };
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { ok: false, reason: `not JSON: ${trimmed.slice(0, 120)}` };
  }
  const parsed = trainerEventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `not a trainer event (${issue?.path.join('.') || 'event'}: ${issue?.message}): ${trimmed.slice(0, 120)}`,
    };
  }
  return { ok: true, event: parsed.data };
}
