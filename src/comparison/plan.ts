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
}

export interface ComparisonPlan {
  tasks: string[];
  methods: Method[];
  seeds: number[];
  learningRates: Partial<Record<Method, number[]>>;
  lrTuned: boolean;
  maxSteps: number;
  runs: PlannedRun[];
}

/** Every run of a comparison: tasks x methods x seeds x learning rates, identical controls otherwise. */
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
          runs.push({ task, method, seed, learningRate });
      }
    }
  }
  return {
    tasks: taskNames,
    methods: request.methods,
    seeds,
    learningRates,
    lrTuned: request.lrSweep,
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
    `${plan.seeds.length} seed${plan.seeds.length === 1 ? '' : 's'} x learning rates (${lrs}) = ${plan.runs.length} runs of ${plan.maxSteps} steps` +
    (plan.lrTuned
      ? '; the best learning rate per method is picked on the validation split'
      : '; learning rates NOT tuned (defaults only)')
  );
}
