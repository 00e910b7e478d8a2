import type { CostInputs } from '../cost/inputs';
import { type AdaptationSummary, adaptationAcrossDomains } from './adaptation';
import { selectArms } from './arms';
import { type EfficiencyMeasure, efficiencyMeasures } from './efficiency';
import {
  ASSUMED_RATES,
  type ComputeRates,
  type MeasuredCompute,
  measuredCompute,
  measuredCostInputs,
} from './measured-cost';
import type { RunLike, RunSummary } from './run-summary';
import { type SuiteSummary, summarizeSuite } from './suite-summary';
import { analyzeTask, type TaskAnalysis } from './task-analysis';

/** Everything the results reply, tables and charts say about one comparison, from its runs only. */
export interface ComparisonAnalysis {
  tasks: TaskAnalysis[];
  /** Every task's chosen runs pooled per method. */
  efficiency: EfficiencyMeasure[];
  compute: MeasuredCompute;
  /** Cost-model inputs from the measured runs (assumed rates); undefined when a method is missing. */
  costInputs: CostInputs | undefined;
  devices: string[];
  /** Present when the comparison covers more than one task. */
  suite: SuiteSummary | undefined;
  /** Steps to plateau and the gap per domain; present when the comparison covers more than one task. */
  adaptation: AdaptationSummary | undefined;
  /** Methods besides LoRA and full fine-tuning that ran but are not part of the paired comparison. */
  otherMethods: string[];
  /** $ per hour used for the cost figures, and where they come from. */
  rates: ComputeRates;
}

/** Groups runs into tasks and methods (learning rate chosen on validation loss) and analyses each. */
export function analyzeComparison(
  runs: readonly RunLike[],
  options: { rates?: ComputeRates } = {},
): ComparisonAnalysis {
  const rates = options.rates ?? ASSUMED_RATES;
  const arms = selectArms([...runs]);
  const taskNames = [...new Set(arms.map((a) => a.task))];
  const tasks = taskNames.map((task) =>
    analyzeTask(
      task,
      arms.find((a) => a.task === task && a.method === 'lora'),
      arms.find((a) => a.task === task && a.method === 'full'),
      rates,
    ),
  );
  const pooled = (method: 'lora' | 'full'): RunSummary[] => tasks.flatMap((t) => t[method]?.runs ?? []);
  const devices = [...new Set(arms.flatMap((a) => a.runs.map((r) => r.device)))];
  return {
    tasks,
    efficiency: efficiencyMeasures(pooled('lora'), pooled('full')),
    compute: measuredCompute(pooled('lora'), pooled('full'), rates),
    costInputs: measuredCostInputs(
      tasks.map((t) => ({ task: t.task, lora: t.lora?.runs ?? [], full: t.full?.runs ?? [] })),
      rates,
    ),
    devices,
    suite: tasks.length > 1 ? summarizeSuite(tasks) : undefined,
    adaptation: adaptationAcrossDomains(tasks),
    otherMethods: [...new Set(arms.map((a) => a.method).filter((m) => m !== 'lora' && m !== 'full'))],
    rates,
  };
}
