import { describeLora, type LoraRequest, plannedRanks } from './lora-options';
import type { ComparisonRequest, Method } from './request';

/**
 * Where a grid's centre comes from: this workspace's earlier sweep of the same size bucket, the
 * defaults file's measured value, or the published rule of thumb (LoRA ~10x full), not measured.
 */
export type LearningRateSource = 'workspace' | 'measured' | 'rule_of_thumb';

/** Learning rates to try per method: provided by the trainer's defaults file through the job system. */
export interface LearningRatePlanner {
  /** The model-size bucket of lr-defaults.json the model falls in. */
  bucket(model: string): string;
  /** The grid, centred on `measured` (a workspace's recorded optimum) when given. */
  grid(
    model: string,
    method: Method,
    sweep: boolean,
    measured?: number,
  ): { values: number[]; default: number; source: LearningRateSource; note?: string };
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
  /** Where each method's grid centre came from, with the rule-of-thumb note where one applies. */
  lrSources?: Partial<Record<Method, { source: LearningRateSource; note?: string }>>;
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
  /** The workspace's measured optimum per method for this model's size bucket. */
  measured: Partial<Record<Method, number>> = {},
): ComparisonPlan {
  const seeds = Array.from({ length: request.seeds }, (_, i) => i);
  const learningRates: Partial<Record<Method, number[]>> = {};
  const lrSources: NonNullable<ComparisonPlan['lrSources']> = {};
  for (const method of request.methods) {
    const grid = planner.grid(request.model, method, request.lrSweep, measured[method]);
    learningRates[method] = grid.values;
    lrSources[method] = { source: grid.source, ...(grid.note ? { note: grid.note } : {}) };
  }
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
    lrSources,
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
    (plan.methods.some((m) => m !== 'full') ? `\n${describeLora(plan.lora)}.` : '') +
    describeSources(plan)
  );
}

const SOURCE_WORDS: Record<LearningRateSource, string> = {
  workspace: "centred on this workspace's measured optimum for models of this size",
  measured: 'centred on the defaults measured for this model size',
  rule_of_thumb: 'centred on a rule of thumb, not a measurement',
};

function describeSources(plan: ComparisonPlan): string {
  const lines = plan.methods.flatMap((m) => {
    const s = plan.lrSources?.[m];
    return s ? [`${m} learning rates ${SOURCE_WORDS[s.source]}${s.note ? `: ${s.note}` : ''}`] : [];
  });
  return lines.length ? `\n${lines.join('\n')}` : '';
}
