import type { Reply, Table } from '../chat/replies';
import { formatUsd } from '../parsing/money';
import type { CostRequest } from './arguments';
import { type CostComparison, compareCosts, type Savings } from './cost-model';
import { COST_INPUT_SPECS } from './inputs';

function formatPercent(savings: Savings): string {
  return savings.percent === undefined ? 'n/a' : `${savings.percent.toFixed(1)}%`;
}

function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 4 });
}

export function costTable(cost: CostComparison): Table {
  const { full, lora, inputs } = cost;
  const row = (label: string, f: number, l: number): string[] => [
    label,
    formatUsd(f),
    formatUsd(l),
    formatUsd(f - l),
  ];
  return {
    title: 'Cost estimate: full fine-tuning vs LoRA (USD, computed from the inputs below)',
    columns: [
      { header: 'Item' },
      { header: 'Full FT', align: 'right' },
      { header: 'LoRA', align: 'right' },
      { header: 'Full - LoRA', align: 'right' },
    ],
    rows: [
      row(
        `GPU compute (${formatNumber(full.training.gpuHours)} h x ${formatUsd(inputs.full_gpu_rate)} | ${formatNumber(lora.training.gpuHours)} h x ${formatUsd(inputs.lora_gpu_rate)})`,
        full.training.compute,
        lora.training.compute,
      ),
      row(
        `Engineering (${formatNumber(inputs.full_eng_hours)} h | ${formatNumber(inputs.lora_eng_hours)} h x ${formatUsd(inputs.eng_rate)}/hour)`,
        full.training.engineering,
        lora.training.engineering,
      ),
      row('Infrastructure (one-off)', full.training.infrastructure, lora.training.infrastructure),
      row('Training total', full.training.total, lora.training.total),
      row(
        `Storage per month (GB x $/GB-hour x ${formatNumber(inputs.hours_per_month)} h)`,
        full.monthly.storage,
        lora.monthly.storage,
      ),
      row(
        `Serving memory per month (GB x $/GB-hour x ${formatNumber(inputs.hours_per_month)} h)`,
        full.monthly.serving,
        lora.monthly.serving,
      ),
      row('Monthly deployment total', full.monthly.total, lora.monthly.total),
      row(`First-year total (training + ${inputs.months} months)`, full.firstYear, lora.firstYear),
    ],
    notes: [
      `Training savings with LoRA: ${formatUsd(cost.trainingSavings.amount)} (${formatPercent(cost.trainingSavings)} of full FT)`,
      `Monthly deployment savings: ${formatUsd(cost.monthlySavings.amount)} (${formatPercent(cost.monthlySavings)})`,
      `First-year savings: ${formatUsd(cost.firstYearSavings.amount)} (${formatPercent(cost.firstYearSavings)})`,
    ],
  };
}

export function inputsTable(request: CostRequest): Table {
  return {
    title: 'Inputs (assumptions: override any with key=value)',
    columns: [
      { header: 'Key' },
      { header: 'Value', align: 'right' },
      { header: 'Unit' },
      { header: 'Source' },
    ],
    rows: COST_INPUT_SPECS.map((spec) => [
      spec.key,
      formatNumber(request.inputs[spec.key]),
      spec.unit,
      request.overridden.includes(spec.key) ? 'you' : `preset ${request.preset}`,
    ]),
    notes: [
      'Storage and serving-memory rates are per GB-hour; a month is hours_per_month hours.',
      request.preset === 'article'
        ? 'Preset "article": the framework\'s worked example (7B model, five tasks). These are its assumptions, not measurements.'
        : `Preset "${request.preset}".`,
    ],
  };
}

/** What the cost chart's figures rest on, printed under it. */
export function costChartBasis(request: CostRequest): string[] {
  return [
    `Cost model, preset ${request.preset}${request.overridden.length ? ' with your overrides' : ''}: computed from assumptions, not measured`,
    'Training = GPU compute + engineering time + infrastructure',
  ];
}

export function costReply(request: CostRequest): Reply {
  const cost = compareCosts(request.inputs);
  const cheaper = cost.firstYearSavings.amount >= 0 ? 'LoRA' : 'Full fine-tuning';
  return {
    text:
      `*Cost model* (computed, not measured). First year: full fine-tuning ${formatUsd(cost.full.firstYear)}, ` +
      `LoRA ${formatUsd(cost.lora.firstYear)}; ${cheaper} is cheaper by ${formatUsd(Math.abs(cost.firstYearSavings.amount))}.`,
    tables: [costTable(cost), inputsTable(request)],
  };
}
