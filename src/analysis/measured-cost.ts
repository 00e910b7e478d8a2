import { ARTICLE_COST_INPUTS, type CostInputs } from '../cost/inputs';
import { ratioOf } from './efficiency';
import type { RunSummary } from './run-summary';
import { type SampleSummary, summarize } from './statistics';

/** $ per hour of the device each method trains on. */
export interface ComputeRates {
  lora: number;
  full: number;
  /** Where the rates come from; shown beside every figure computed with them. */
  source: string;
}

/** The cost model's article preset: assumptions, not prices anyone measured. */
export const ASSUMED_RATES: ComputeRates = {
  lora: ARTICLE_COST_INPUTS.lora_gpu_rate,
  full: ARTICLE_COST_INPUTS.full_gpu_rate,
  source: 'assumed rates (cost model article preset), not measured prices',
};

/** The $/device-hour a comparison was asked to price with (`lora_gpu_rate=`, `full_gpu_rate=`). */
export interface GivenRates {
  lora?: number;
  full?: number;
}

/**
 * The rates to price a comparison with: the requester's where given, the cost model's assumed
 * article rates otherwise, and a source that says which is which.
 */
export function ratesFor(given: GivenRates | undefined): ComputeRates {
  const lora = given?.lora;
  const full = given?.full;
  if (lora === undefined && full === undefined) return ASSUMED_RATES;
  const source =
    lora !== undefined && full !== undefined
      ? "the requester's rates (lora_gpu_rate, full_gpu_rate)"
      : lora !== undefined
        ? "LoRA at the requester's lora_gpu_rate, full fine-tuning at the assumed article rate"
        : "full fine-tuning at the requester's full_gpu_rate, LoRA at the assumed article rate";
  return { lora: lora ?? ASSUMED_RATES.lora, full: full ?? ASSUMED_RATES.full, source };
}

/** The rates of a stored comparison request (JSON), checked field by field. */
export function ratesOfRequest(request: unknown): ComputeRates {
  const rates = (request as { rates?: unknown } | null | undefined)?.rates as
    | Record<string, unknown>
    | undefined;
  const pick = (key: string) => {
    const v = rates?.[key];
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
  };
  const lora = pick('lora');
  const full = pick('full');
  return ratesFor({ ...(lora !== undefined ? { lora } : {}), ...(full !== undefined ? { full } : {}) });
}

export type HoursKind = 'GPU-hours' | 'device-hours (CPU)';

/** Hours a run used: GPU-hours on GPUs, device-hours (wall time x devices) on CPU. */
export function runHours(run: RunSummary): { hours: number; kind: HoursKind } {
  if (run.gpu_hours > 0) return { hours: run.gpu_hours, kind: 'GPU-hours' };
  return { hours: run.device_hours ?? run.wall_time_s / 3600, kind: 'device-hours (CPU)' };
}

/** Compute cost of one training run per method: measured hours x rate. */
export interface MeasuredCompute {
  hoursKind: HoursKind | 'mixed GPU-hours and CPU device-hours';
  hours: { lora: SampleSummary; full: SampleSummary };
  /** Mean hours x rate, in USD. */
  cost: { lora: number | undefined; full: number | undefined };
  /** Full over LoRA. */
  ratio: number | undefined;
  rates: ComputeRates;
}

export function measuredCompute(
  lora: readonly RunSummary[],
  full: readonly RunSummary[],
  rates = ASSUMED_RATES,
): MeasuredCompute {
  const kinds = new Set([...lora, ...full].map((r) => runHours(r).kind));
  const hoursKind = kinds.size > 1 ? 'mixed GPU-hours and CPU device-hours' : ([...kinds][0] ?? 'GPU-hours');
  const hours = {
    lora: summarize(lora.map((r) => runHours(r).hours)),
    full: summarize(full.map((r) => runHours(r).hours)),
  };
  const cost = {
    lora: hours.lora.mean === undefined ? undefined : hours.lora.mean * rates.lora,
    full: hours.full.mean === undefined ? undefined : hours.full.mean * rates.full,
  };
  return { hoursKind, hours, cost, ratio: ratioOf(cost.full, cost.lora), rates };
}

const BYTES_PER_GB = 1e9;
const mean = (values: number[]) =>
  values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;

/** The chosen runs of one task, by method. */
export interface TaskRuns {
  task: string;
  lora: readonly RunSummary[];
  full: readonly RunSummary[];
}

/**
 * Cost-model inputs from the measured runs: one training run per task and method (mean hours of
 * its seeds), storage from the saved artifacts (full: one model per task; LoRA: the base model,
 * taken as the full model's artifact, plus one adapter per task), serving memory as the weights
 * one deployment loads (a lower bound). Rates, hours per month and months come from `assumed`;
 * engineering time and infrastructure are not measured and are set to zero.
 * Undefined when a task lacks runs of either method.
 */
export function measuredCostInputs(
  tasks: readonly TaskRuns[],
  rates = ASSUMED_RATES,
  assumed: CostInputs = ARTICLE_COST_INPUTS,
): CostInputs | undefined {
  if (!tasks.length || tasks.some((t) => !t.lora.length || !t.full.length)) return undefined;
  const hours = (runs: readonly RunSummary[]) => mean(runs.map((r) => runHours(r).hours)) ?? 0;
  const bytes = (runs: readonly RunSummary[]) => mean(runs.map((r) => r.artifact_bytes)) ?? 0;
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const fullModels = tasks.map((t) => bytes(t.full));
  const adapters = tasks.map((t) => bytes(t.lora));
  const baseModel = mean(fullModels) ?? 0;
  return {
    ...assumed,
    full_gpu_hours: sum(tasks.map((t) => hours(t.full))),
    full_gpu_rate: rates.full,
    lora_gpu_hours: sum(tasks.map((t) => hours(t.lora))),
    lora_gpu_rate: rates.lora,
    full_eng_hours: 0,
    lora_eng_hours: 0,
    full_infra: 0,
    lora_infra: 0,
    full_storage_gb: sum(fullModels) / BYTES_PER_GB,
    lora_storage_gb: (baseModel + sum(adapters)) / BYTES_PER_GB,
    full_serving_gb: baseModel / BYTES_PER_GB,
    lora_serving_gb: (baseModel + (mean(adapters) ?? 0)) / BYTES_PER_GB,
  };
}
