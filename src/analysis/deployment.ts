/**
 * Deployment, measured: what the trainer measured after training each chosen run (serving latency
 * at batch 1, tokens/s, serving memory, checkpoint load vs adapter load/swap/rollback times), the
 * inference cost computed from the measured tokens/s at the comparison's rates, and iteration
 * velocity from measured run and queue times.
 */
import type { Table } from '../chat/replies';
import { formatBytes, formatDuration } from '../format/units';
import type { ComputeRates } from './measured-cost';
import type { RunSummary } from './run-summary';
import type { TaskAnalysis } from './task-analysis';
import { formatDollars } from './uncertainty-format';

export type VariantId = 'full' | 'lora_unmerged' | 'lora_merged';

interface ServedMeasure {
  requests: number;
  new_tokens_per_request: number;
  latency_p50_ms: number;
  latency_p95_ms: number;
  tokens_per_s: number;
  serving_bytes: number;
  serving_peak_bytes: number | null;
}

/** The `deployment` object of a trainer result (see the trainer's deployment.py). */
export interface DeploymentMeasure {
  variants?: Partial<Record<VariantId, ServedMeasure>>;
  times?: Partial<
    Record<
      | 'checkpoint_load_s'
      | 'base_load_s'
      | 'adapter_load_s'
      | 'adapter_swap_s'
      | 'adapter_rollback_s'
      | 'merge_s',
      number
    >
  >;
  device?: string;
  error?: string;
}

export interface VariantSummary {
  variant: VariantId;
  method: 'lora' | 'full';
  runs: number;
  requests: number;
  newTokens: number;
  p50Ms: number;
  p95Ms: number;
  tokensPerS: number;
  servingBytes: number;
  servingPeakBytes: number | undefined;
  /** USD per million generated tokens at the method's rate (computed). */
  usdPerMillionTokens: number;
}

export interface DeploymentSummary {
  task: string;
  device: string;
  variants: VariantSummary[];
  /** Mean seconds over the chosen runs. */
  times: NonNullable<DeploymentMeasure['times']>;
  /** Runs whose measurement failed, with the trainer's reason. */
  errors: string[];
  rates: ComputeRates;
}

const VARIANT_LABELS: Record<VariantId, string> = {
  full: 'Full fine-tuned model',
  lora_unmerged: 'LoRA, adapter unmerged on the base',
  lora_merged: 'LoRA, adapter merged into the base',
};

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

function deploymentOf(run: RunSummary): DeploymentMeasure | undefined {
  const d = (run as RunSummary & { deployment?: DeploymentMeasure | null }).deployment;
  return d && typeof d === 'object' ? d : undefined;
}

/** The measured deployment of one task's chosen runs, averaged over seeds; undefined when none. */
export function deploymentSummary(task: TaskAnalysis, rates: ComputeRates): DeploymentSummary | undefined {
  const runs = [...(task.full?.runs ?? []), ...(task.lora?.runs ?? [])];
  const measured = runs.flatMap((run) => {
    const d = deploymentOf(run);
    return d ? [{ run, d }] : [];
  });
  if (!measured.length) return undefined;
  const variants: VariantSummary[] = [];
  for (const variant of ['full', 'lora_unmerged', 'lora_merged'] as const) {
    const served = measured.flatMap(({ d }) => (d.variants?.[variant] ? [d.variants[variant]] : []));
    if (!served.length) continue;
    const method = variant === 'full' ? 'full' : 'lora';
    const tokensPerS = mean(served.map((s) => s.tokens_per_s));
    const peaks = served.flatMap((s) =>
      typeof s.serving_peak_bytes === 'number' ? [s.serving_peak_bytes] : [],
    );
    variants.push({
      variant,
      method,
      runs: served.length,
      requests: served[0]?.requests ?? 0,
      newTokens: served[0]?.new_tokens_per_request ?? 0,
      p50Ms: mean(served.map((s) => s.latency_p50_ms)),
      p95Ms: mean(served.map((s) => s.latency_p95_ms)),
      tokensPerS,
      servingBytes: mean(served.map((s) => s.serving_bytes)),
      servingPeakBytes: peaks.length ? mean(peaks) : undefined,
      usdPerMillionTokens: (rates[method] / (tokensPerS * 3600)) * 1e6,
    });
  }
  const times: DeploymentSummary['times'] = {};
  for (const key of [
    'checkpoint_load_s',
    'base_load_s',
    'adapter_load_s',
    'adapter_swap_s',
    'adapter_rollback_s',
    'merge_s',
  ] as const) {
    const values = measured.flatMap(({ d }) => (typeof d.times?.[key] === 'number' ? [d.times[key]] : []));
    if (values.length) times[key] = mean(values);
  }
  const errors = measured.flatMap(({ run, d }) =>
    d.error ? [`${run.method} seed ${run.seed}: ${d.error}`] : [],
  );
  const device = measured.find(({ d }) => d.device)?.d.device ?? runs[0]?.device ?? 'unknown';
  return { task: task.task, device, variants, times, errors, rates };
}

function switchText(summary: DeploymentSummary, variant: VariantId): string {
  const t = summary.times;
  const s = (v: number | undefined) => (v === undefined ? '-' : formatDuration(v));
  if (variant === 'full') return `load checkpoint ${s(t.checkpoint_load_s)}; roll back = load again`;
  if (variant === 'lora_unmerged')
    return `swap adapter ${s(t.adapter_swap_s)}, roll back ${s(t.adapter_rollback_s)} (adapter load ${s(t.adapter_load_s)} onto a loaded base; base load ${s(t.base_load_s)})`;
  return `merge ${s(t.merge_s)}; then deployed like a full model`;
}

const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(0)} ms`;

/** The deployment table of one task, every number labelled measured or computed. */
export function deploymentTable(summary: DeploymentSummary): Table {
  const first = summary.variants[0];
  const probe = first
    ? `batch 1, ${first.newTokens} new tokens per request, ${first.requests} requests after a warm-up, on ${summary.device}`
    : `on ${summary.device}`;
  const gpu = summary.variants.some((v) => v.servingPeakBytes !== undefined);
  return {
    title: `${summary.task}: deployment, measured (${probe})`,
    columns: [
      { header: 'Variant' },
      { header: 'p50 latency', align: 'right' },
      { header: 'p95 latency', align: 'right' },
      { header: 'tokens/s', align: 'right' },
      { header: gpu ? 'Serving memory (weights / GPU peak)' : 'Serving memory (weights)', align: 'right' },
      { header: '$ per 1M tokens (computed)', align: 'right' },
      { header: 'Switch and roll back (measured)' },
    ],
    rows: summary.variants.map((v) => [
      VARIANT_LABELS[v.variant],
      ms(v.p50Ms),
      ms(v.p95Ms),
      v.tokensPerS.toFixed(1),
      formatBytes(v.servingBytes) +
        (v.servingPeakBytes !== undefined ? ` / ${formatBytes(v.servingPeakBytes)}` : ''),
      formatDollars(v.usdPerMillionTokens),
      switchText(summary, v.variant),
    ]),
    notes: [
      'Latency, tokens/s and load, swap and merge times are measured after training on the chosen runs (mean over seeds); serving memory is the bytes of the weights as loaded.',
      `$ per 1M tokens is computed: the rate per device-hour (${summary.rates.source}) divided by the measured tokens/s at batch 1; batching on a real server changes it.`,
      ...summary.errors.map((e) => `Not measured for ${e}`),
    ],
  };
}
