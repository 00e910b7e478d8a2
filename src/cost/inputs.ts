/**
 * Inputs of the cost model. Every one can be overridden with `key=value`.
 * Rates for storage and serving memory are per GB-hour; a month is `hours_per_month` hours.
 */
export interface CostInputSpec {
  key: string;
  label: string;
  unit: string;
  min: number;
  max: number;
  integer?: boolean;
}

export const COST_INPUT_SPECS = [
  { key: 'full_gpu_hours', label: 'Full FT GPU hours', unit: 'GPU-hours', min: 0, max: 1e7 },
  { key: 'full_gpu_rate', label: 'Full FT GPU rate', unit: '$/GPU-hour', min: 0, max: 1e4 },
  { key: 'full_eng_hours', label: 'Full FT engineering time', unit: 'hours', min: 0, max: 1e6 },
  { key: 'full_infra', label: 'Full FT infrastructure', unit: '$ one-off', min: 0, max: 1e9 },
  { key: 'lora_gpu_hours', label: 'LoRA GPU hours', unit: 'GPU-hours', min: 0, max: 1e7 },
  { key: 'lora_gpu_rate', label: 'LoRA GPU rate', unit: '$/GPU-hour', min: 0, max: 1e4 },
  { key: 'lora_eng_hours', label: 'LoRA engineering time', unit: 'hours', min: 0, max: 1e6 },
  { key: 'lora_infra', label: 'LoRA infrastructure', unit: '$ one-off', min: 0, max: 1e9 },
  { key: 'eng_rate', label: 'Engineering rate', unit: '$/hour', min: 0, max: 1e5 },
  { key: 'full_storage_gb', label: 'Full FT model storage', unit: 'GB', min: 0, max: 1e7 },
  { key: 'lora_storage_gb', label: 'LoRA storage (base + adapters)', unit: 'GB', min: 0, max: 1e7 },
  { key: 'storage_rate', label: 'Storage rate', unit: '$/GB-hour', min: 0, max: 1e3 },
  { key: 'full_serving_gb', label: 'Full FT serving memory', unit: 'GB', min: 0, max: 1e6 },
  { key: 'lora_serving_gb', label: 'LoRA serving memory', unit: 'GB', min: 0, max: 1e6 },
  { key: 'memory_rate', label: 'Serving memory rate', unit: '$/GB-hour', min: 0, max: 1e3 },
  { key: 'hours_per_month', label: 'Hours per month', unit: 'hours', min: 1, max: 744 },
  { key: 'months', label: 'Deployment months in year one', unit: 'months', min: 0, max: 12, integer: true },
] as const satisfies readonly CostInputSpec[];

export type CostInputKey = (typeof COST_INPUT_SPECS)[number]['key'];
export type CostInputs = Record<CostInputKey, number>;

/**
 * The framework's worked example: a 7B model, five tasks, A100-class GPUs for full fine-tuning
 * and a cheaper GPU for LoRA. These are assumptions to replace with your own, not measurements.
 */
export const ARTICLE_COST_INPUTS: CostInputs = {
  full_gpu_hours: 168,
  full_gpu_rate: 8.0,
  full_eng_hours: 40,
  full_infra: 500,
  lora_gpu_hours: 12,
  lora_gpu_rate: 2.5,
  lora_eng_hours: 20,
  lora_infra: 100,
  eng_rate: 150,
  full_storage_gb: 65,
  lora_storage_gb: 13.08,
  storage_rate: 0.1,
  full_serving_gb: 26,
  lora_serving_gb: 13.5,
  memory_rate: 0.05,
  hours_per_month: 24 * 30,
  months: 12,
};

export const COST_PRESETS = { article: ARTICLE_COST_INPUTS } as const;
export type CostPreset = keyof typeof COST_PRESETS;

export function costInputSpec(key: string): CostInputSpec | undefined {
  return COST_INPUT_SPECS.find((spec) => spec.key === key);
}
