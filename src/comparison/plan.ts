import { describeLora, type LoraRequest, plannedRanks } from './lora-options';
import type { ComparisonRequest, Method } from './request';

/** Learning rates to try per method: provided by the trainer's defaults file through the job system. */
export interface LearningRatePlanner {
  grid(model: string, method: Method, sweep: boolean): { values: number[]; default: number };
}

export interface PlannedRun {
  task: string;
  method: Method;
  seed: number;
  learningRate: number;
  /** The LoRA rank this run trains with; absent: full fine-tuning, or the preset / rank rule's rank. */
  rank?: number;
}

export interface ComparisonPlan {
  tasks: string[];
  methods: Method[];
  seeds: number[];
  learningRates: Partial<Record<Method, number[]>>;
  lrTuned: boolean;
  /** LoRA ranks swept (chosen with the learning rate on validation loss); absent: no rank sweep. */
  ranks?: number[];
  /** The LoRA settings asked for; absent: the task preset as written. */
  lora?: LoraRequest;
  maxSteps: number;
  runs: PlannedRun[];
}

/**
 * Every run of a comparison: tasks x methods x seeds x learning rates x LoRA ranks (ranks apply to
 * adapter methods only), identical controls otherwise.
 */
export function planComparison(
  request: ComparisonRequest,
  planner: LearningRatePlanner,
  taskNames: string[],
): ComparisonPlan {
  const seeds = Array.from({ length: request.seeds }, (_, i) => i);
  const learningRates: Partial<Record<Method, number[]>> = {};
  for (const method of request.methods)
    learningRates[method] = planner.grid(request.model, method, request.lrSweep).values;
  const runs: PlannedRun[] = [];
  for (const task of taskNames) {
    for (const method of request.methods) {
      for (const seed of seeds) {
        for (const learningRate of learningRates[method] ?? [])
          for (const rank of plannedRanks(request.lora, method))
            runs.push({ task, method, seed, learningRate, ...(rank !== undefined ? { rank } : {}) });
      }
    }
  }
  return {
    tasks: taskNames,
    methods: request.methods,
    seeds,
    learningRates,
    lrTuned: request.lrSweep,
    ...(request.lora?.ranks ? { ranks: request.lora.ranks } : {}),
    ...(request.lora ? { lora: request.lora } : {}),
    maxSteps: request.maxSteps,
    runs,
  };
}

export function describePlan(plan: ComparisonPlan): string {
  const lrs = plan.methods
    .map((m) => `${m} ${(plan.learningRates[m] ?? []).map((v) => v.toExponential(0)).join('/')}`)
    .join('; ');
  return (
    `${plan.tasks.length} task${plan.tasks.length === 1 ? '' : 's'} x ${plan.methods.length} method${plan.methods.length === 1 ? '' : 's'} x ` +
    `${plan.seeds.length} seed${plan.seeds.length === 1 ? '' : 's'} x learning rates (${lrs})` +
    (plan.ranks ? ` x LoRA ranks (${plan.ranks.join('/')})` : '') +
    ` = ${plan.runs.length} runs of ${plan.maxSteps} steps` +
    (plan.lrTuned
      ? `; the best learning rate${plan.ranks ? ' and rank' : ''} per method is picked on the validation split`
      : plan.ranks
        ? '; learning rates NOT tuned (defaults only); the best rank per method is picked on the validation split'
        : '; learning rates NOT tuned (defaults only)') +
    (plan.methods.some((m) => m !== 'full') ? `\n${describeLora(plan.lora)}.` : '')
  );
}
