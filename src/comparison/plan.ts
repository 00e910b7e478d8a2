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

/** A run a later stage adds: its seed is known now, its learning rate is chosen then. */
export interface UpcomingRun {
  task: string;
  method: Method;
  seed: number;
}

/**
 * How a comparison proceeds in stages (each dispatched once every run before it has ended):
 * - `sweep-then-replicate`: every grid point on the first seed, then the point chosen per method
 *   on validation loss replicated on the other seeds;
 * - `hybrid`: the article's hybrid plan: LoRA first (swept, then replicated); its primary test
 *   metric is checked against `target`, and full fine-tuning is trained the same way only when
 *   LoRA misses it.
 */
export type Staging = { kind: 'sweep-then-replicate' } | { kind: 'hybrid'; target: number };

export interface ComparisonPlan {
  tasks: string[];
  methods: Method[];
  seeds: number[];
  learningRates: Partial<Record<Method, number[]>>;
  lrTuned: boolean;
  maxSteps: number;
  /** The runs queued now: the first stage's when the plan is staged. */
  runs: PlannedRun[];
  /** Absent: every run is queued at once. */
  staging?: Staging;
  /** Runs later stages add at most (quotas count them with `runs`). */
  upcoming?: UpcomingRun[];
}

/** Every run the plan may train: those queued now and those later stages may add. */
export function allPlannedRuns(plan: ComparisonPlan): (PlannedRun | UpcomingRun)[] {
  return [...plan.runs, ...(plan.upcoming ?? [])];
}

/** A method is swept when the plan tunes learning rates and its grid has more than one point. */
export function isSwept(plan: Pick<ComparisonPlan, 'lrTuned' | 'learningRates'>, method: Method): boolean {
  return plan.lrTuned && (plan.learningRates[method]?.length ?? 0) > 1;
}

/**
 * A method's first runs in a staged plan: every grid point on the first seed when it is swept,
 * else its one learning rate on every seed.
 */
export function firstRunsOf(
  plan: Pick<ComparisonPlan, 'lrTuned' | 'learningRates' | 'seeds' | 'tasks'>,
  method: Method,
): PlannedRun[] {
  const swept = isSwept(plan, method);
  const seeds = swept ? plan.seeds.slice(0, 1) : plan.seeds;
  return plan.tasks.flatMap((task) =>
    seeds.flatMap((seed) =>
      (plan.learningRates[method] ?? []).map((learningRate) => ({ task, method, seed, learningRate })),
    ),
  );
}

/** Every grid run: tasks x methods x seeds x grid points, identical controls otherwise. */
function fullGrid(
  plan: Pick<ComparisonPlan, 'learningRates' | 'seeds' | 'tasks' | 'methods'>,
  methods = plan.methods,
): PlannedRun[] {
  const runs: PlannedRun[] = [];
  for (const task of plan.tasks)
    for (const method of methods)
      for (const seed of plan.seeds)
        for (const learningRate of plan.learningRates[method] ?? [])
          runs.push({ task, method, seed, learningRate });
  return runs;
}

/** The runs after a swept method's first: its chosen point on every other seed. */
function replicasOf(
  plan: Pick<ComparisonPlan, 'lrTuned' | 'learningRates' | 'seeds' | 'tasks'>,
  method: Method,
) {
  if (!isSwept(plan, method)) return [];
  return plan.tasks.flatMap((task) =>
    plan.seeds.slice(1).map((seed): UpcomingRun => ({ task, method, seed })),
  );
}

const slotOf = ({ task, method, seed }: PlannedRun): UpcomingRun => ({ task, method, seed });

/**
 * Every run of a comparison. With several seeds and a learning-rate sweep the plan is staged:
 * the sweep (all grid points) runs on the first seed only, and the point chosen per method is
 * then replicated on the other seeds, paired across methods. `hybrid` stages the methods too.
 */
export function planComparison(
  request: ComparisonRequest,
  planner: LearningRatePlanner,
  taskNames: string[],
  options: { hybridTarget?: number } = {},
): ComparisonPlan {
  const seeds = Array.from({ length: request.seeds }, (_, i) => i);
  const learningRates: Partial<Record<Method, number[]>> = {};
  for (const method of request.methods)
    learningRates[method] = planner.grid(request.model, method, request.lrSweep).values;
  const base = {
    tasks: taskNames,
    methods: request.methods,
    seeds,
    learningRates,
    lrTuned: request.lrSweep,
    maxSteps: request.maxSteps,
  };
  if (options.hybridTarget !== undefined) {
    const [first, ...later] = request.methods;
    return {
      ...base,
      runs: first ? firstRunsOf(base, first) : [],
      staging: { kind: 'hybrid', target: options.hybridTarget },
      upcoming: [
        ...(first ? replicasOf(base, first) : []),
        ...later.flatMap((m) => [...firstRunsOf(base, m).map(slotOf), ...replicasOf(base, m)]),
      ],
    };
  }
  const staged = seeds.length > 1 && request.methods.some((m) => isSwept(base, m));
  if (!staged) return { ...base, runs: fullGrid(base) };
  return {
    ...base,
    runs: request.methods.flatMap((m) => firstRunsOf(base, m)),
    staging: { kind: 'sweep-then-replicate' },
    upcoming: request.methods.flatMap((m) => replicasOf(base, m)),
  };
}

const seedsWord = (n: number) => `${n} seed${n === 1 ? '' : 's'}`;

export function describePlan(plan: ComparisonPlan): string {
  const lrs = plan.methods
    .map((m) => `${m} ${(plan.learningRates[m] ?? []).map((v) => v.toExponential(0)).join('/')}`)
    .join('; ');
  const tasks = `${plan.tasks.length} task${plan.tasks.length === 1 ? '' : 's'}`;
  const methods = `${plan.methods.length} method${plan.methods.length === 1 ? '' : 's'}`;
  const total = allPlannedRuns(plan).length;
  const steps = `${plan.maxSteps} step${plan.maxSteps === 1 ? '' : 's'}`;
  if (plan.staging?.kind === 'sweep-then-replicate') {
    const replicas = total - plan.runs.length;
    return (
      `${total} runs of ${steps}, in two stages: first the learning-rate sweep (${lrs}) on seed 0 only ` +
      `(${tasks} x ${methods} x grid = ${plan.runs.length} runs); then the learning rate chosen per method ` +
      `on the validation split is replicated on ${seedsWord(plan.seeds.length - 1)} more ` +
      `(${replicas} runs), so each method ends with ${seedsWord(plan.seeds.length)} paired across methods ` +
      'and its score gets an interval. Sweeping every seed would take ' +
      `${fullGridSize(plan)} runs.`
    );
  }
  if (plan.staging?.kind === 'hybrid') {
    const [first, ...later] = plan.methods;
    const firstTotal = allPlannedRuns(plan).filter((r) => r.method === first).length;
    return (
      `Up to ${total} runs of ${steps}: stage 1 trains ${first} (${firstTotal} runs: ` +
      `${isSwept(plan, first as Method) ? 'learning rates swept on seed 0, the chosen one replicated on' : 'its default learning rate on'} ` +
      `${seedsWord(plan.seeds.length)}); stage 2 trains ${later.join(', ')} the same way (${total - firstTotal} runs) ` +
      `only if ${first} misses the target. Learning rates: ${lrs}.`
    );
  }
  return (
    `${tasks} x ${methods} x ${seedsWord(plan.seeds.length)} x learning rates (${lrs}) = ${plan.runs.length} runs of ${steps}` +
    (plan.lrTuned
      ? '; the best learning rate per method is picked on the validation split'
      : '; learning rates NOT tuned (defaults only)') +
    (plan.seeds.length === 1 ? '; one seed gives no interval (seeds=2 or more for one)' : '')
  );
}

function fullGridSize(plan: ComparisonPlan): number {
  return fullGrid(plan).length;
}
