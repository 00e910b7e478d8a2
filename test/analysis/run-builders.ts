import type { RunLike, RunSummary } from '../../src/analysis/run-summary';

/** A hand-made run result with only the fields a test cares about set; the rest are plain defaults. */
export function runSummary(
  fields: Partial<RunSummary> & Pick<RunSummary, 'method' | 'task' | 'seed'>,
): RunSummary {
  return {
    run_id: `${fields.task}-${fields.method}-seed${fields.seed}`,
    model: 'tiny',
    learning_rate: 0.001,
    train_curve: [],
    eval_curve: [],
    final_eval_loss: 1,
    metrics: {},
    wall_time_s: 10,
    tokens_per_s: 1000,
    peak_memory_bytes: 1e8,
    memory_kind: 'cpu_peak_rss_process',
    trainable_params: 1000,
    total_params: 100000,
    artifact_bytes: 1e4,
    artifact_kind: 'peft_adapter',
    device: 'cpu',
    gpu_hours: 0,
    device_hours: 10 / 3600,
    ...fields,
  };
}

export function completedRun(summary: RunSummary): RunLike {
  return {
    id: summary.run_id,
    task: summary.task,
    method: summary.method,
    seed: summary.seed,
    learningRate: summary.learning_rate,
    state: 'completed',
    summary,
    error: null,
  };
}

/** Runs of one task where each method scores `scores[method][seed]` on `metric` (higher is better). */
export function scoredRuns(
  task: string,
  metric: string,
  scores: { lora: number[]; full: number[] },
  loss?: { lora: number[]; full: number[] },
): RunLike[] {
  return (['lora', 'full'] as const).flatMap((method) =>
    scores[method].map((value, seed) =>
      completedRun(
        runSummary({
          task,
          method,
          seed,
          metrics: { [metric]: value, quality_proxy_chrf: value / 2, consistency_agreement: 0.5 },
          metric_info: {
            [metric]: { description: 'share correct', higher_is_better: true },
            quality_proxy_chrf: { description: 'chrF', higher_is_better: true },
            consistency_agreement: { description: 'agreement', higher_is_better: true },
          },
          primary_metric: metric,
          final_eval_loss: loss?.[method][seed] ?? 1,
        }),
      ),
    ),
  );
}
