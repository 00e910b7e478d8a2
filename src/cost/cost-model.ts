import type { CostInputs } from './inputs';

export interface TrainingCost {
  gpuHours: number;
  compute: number;
  engineering: number;
  infrastructure: number;
  total: number;
}

export interface MonthlyDeploymentCost {
  storage: number;
  serving: number;
  total: number;
}

export interface MethodCost {
  training: TrainingCost;
  monthly: MonthlyDeploymentCost;
  firstYear: number;
}

export interface Savings {
  amount: number;
  /** Share of the full fine-tuning figure, in percent; undefined when that figure is zero. */
  percent: number | undefined;
}

export interface CostComparison {
  inputs: CostInputs;
  full: MethodCost;
  lora: MethodCost;
  trainingSavings: Savings;
  monthlySavings: Savings;
  firstYearSavings: Savings;
}

/** GPU hours x hourly rate + engineering hours x rate + infrastructure. */
export function estimateTrainingCost(
  gpuHours: number,
  gpuRate: number,
  engHours: number,
  engRate: number,
  infrastructure: number,
): TrainingCost {
  const compute = gpuHours * gpuRate;
  const engineering = engHours * engRate;
  return { gpuHours, compute, engineering, infrastructure, total: compute + engineering + infrastructure };
}

/** Storage GB x $/GB-hour x hours per month + serving memory GB x $/GB-hour x hours per month. */
export function estimateMonthlyDeploymentCost(
  storageGb: number,
  servingGb: number,
  inputs: Pick<CostInputs, 'storage_rate' | 'memory_rate' | 'hours_per_month'>,
): MonthlyDeploymentCost {
  const storage = storageGb * inputs.storage_rate * inputs.hours_per_month;
  const serving = servingGb * inputs.memory_rate * inputs.hours_per_month;
  return { storage, serving, total: storage + serving };
}

function savings(full: number, lora: number): Savings {
  const amount = full - lora;
  return { amount, percent: full === 0 ? undefined : (amount / full) * 100 };
}

/** LoRA and full fine-tuning side by side: training, monthly deployment and first-year totals. */
export function compareCosts(inputs: CostInputs): CostComparison {
  const method = (prefix: 'full' | 'lora'): MethodCost => {
    const training = estimateTrainingCost(
      inputs[`${prefix}_gpu_hours`],
      inputs[`${prefix}_gpu_rate`],
      inputs[`${prefix}_eng_hours`],
      inputs.eng_rate,
      inputs[`${prefix}_infra`],
    );
    const monthly = estimateMonthlyDeploymentCost(
      inputs[`${prefix}_storage_gb`],
      inputs[`${prefix}_serving_gb`],
      inputs,
    );
    return { training, monthly, firstYear: training.total + monthly.total * inputs.months };
  };
  const full = method('full');
  const lora = method('lora');
  return {
    inputs,
    full,
    lora,
    trainingSavings: savings(full.training.total, lora.training.total),
    monthlySavings: savings(full.monthly.total, lora.monthly.total),
    firstYearSavings: savings(full.firstYear, lora.firstYear),
  };
}
