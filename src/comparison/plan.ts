import { describeLora, type LoraRequest, plannedRanks } from './lora-options';
import { type ComparisonRequest, type Method, TINY_FAMILY } from './request';

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
  /**
   * False: a sweep point measured on the validation split only (no test generation, artifact or
   * deployment probe); the point chosen is trained again on the same seed with the test set.
   */
  testSet?: false;
}

/** A run a later stage adds: its seed is known now, its learning rate (and rank) chosen then. */
export interface UpcomingRun {
  task: string;
  method: Method;
  seed: number;
}

/**
 * How a comparison proceeds in stages (each dispatched once every run before it has ended):
 * - `sweep-then-replicate`: every grid point on the first seed, then the point chosen per method
 *   on validation loss replicated on the other seeds;
 * - `combine`: skill adapters and multi-task runs, then their combinations (combine-plan.ts);
 * - `hybrid`: the article's hybrid plan: LoRA first (swept, then replicated); its primary test
 *   metric is checked against `target`, and full fine-tuning is trained the same way only when
 *   LoRA misses it.
 */
export type Staging =
  | { kind: 'sweep-then-replicate' }
  | { kind: 'hybrid'; target: number }
  /** Skill adapters and multi-task runs, then combinations of each seed's adapters (combine-plan.ts). */
  | { kind: 'combine' };

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
  /** The runs queued now: the first stage's when the plan is staged. */
  runs: PlannedRun[];
  /** Absent: every run is queued at once. */
  staging?: Staging;
  /**
   * The sweep's points are measured on the validation split only, and the point chosen is then
   * trained again on the first seed with the test set (one more training run per method and task,
   * instead of a test evaluation per grid point: on a real model test generation costs more than
   * training). Absent: every sweep point is evaluated on the test set too (the tiny models).
   */
  testChosenOnly?: boolean;
  /** Runs later stages add at most (quotas count them with `runs`). */
  upcoming?: UpcomingRun[];
}

/** Every run the plan may train: those queued now and those later stages may add. */
export function allPlannedRuns(plan: ComparisonPlan): (PlannedRun | UpcomingRun)[] {
  return [...plan.runs, ...(plan.upcoming ?? [])];
}

type GridPlan = Pick<ComparisonPlan, 'lrTuned' | 'learningRates' | 'lora'>;

/** A method's grid points: its learning rates x its LoRA ranks (one undefined rank when none is swept). */
export function gridPoints(plan: GridPlan, method: Method): { learningRate: number; rank?: number }[] {
  return (plan.learningRates[method] ?? []).flatMap((learningRate) =>
    plannedRanks(plan.lora, method).map((rank) => ({
      learningRate,
      ...(rank !== undefined ? { rank } : {}),
    })),
  );
}

/**
 * A method is swept when its grid has more than one point: several learning rates while the plan
 * tunes them, or several LoRA ranks.
 */
export function isSwept(plan: GridPlan, method: Method): boolean {
  const rates = plan.lrTuned ? (plan.learningRates[method]?.length ?? 0) : 0;
  return rates > 1 || plannedRanks(plan.lora, method).length > 1;
}

/**
 * A method's first runs in a staged plan: every grid point on the first seed when it is swept,
 * else its one grid point on every seed.
 */
export function firstRunsOf(
  plan: GridPlan & Pick<ComparisonPlan, 'seeds' | 'tasks' | 'testChosenOnly'>,
  method: Method,
): PlannedRun[] {
  const swept = isSwept(plan, method);
  const seeds = swept ? plan.seeds.slice(0, 1) : plan.seeds;
  const test = swept && plan.testChosenOnly ? { testSet: false as const } : {};
  return plan.tasks.flatMap((task) =>
    seeds.flatMap((seed) =>
      gridPoints(plan, method).map((point) => ({ task, method, seed, ...point, ...test })),
    ),
  );
}

/** Every grid run: tasks x methods x seeds x grid points, identical controls otherwise. */
function fullGrid(plan: GridPlan & Pick<ComparisonPlan, 'seeds' | 'tasks' | 'methods'>): PlannedRun[] {
  return plan.tasks.flatMap((task) =>
    plan.methods.flatMap((method) =>
      plan.seeds.flatMap((seed) =>
        gridPoints(plan, method).map((point) => ({ task, method, seed, ...point })),
      ),
    ),
  );
}

/** A method sweeps learning rates: the plan tunes them and its grid has more than one. */
export function sweepsRates(plan: GridPlan, method: Method): boolean {
  return plan.lrTuned && (plan.learningRates[method]?.length ?? 0) > 1;
}

/**
 * One step beyond a grid's edge when the chosen rate sits on it (a grid is widened at most once):
 * the grid's step on that side taken once more, rounded like the grid (two
 * significant digits, as the trainer's lr.extension_rate); undefined inside the grid.
 */
export function extensionRate(grid: readonly number[], chosen: number): number | undefined {
  const ordered = [...grid].sort((a, b) => a - b);
  const [low, second] = ordered;
  const [high, belowHigh] = [ordered.at(-1), ordered.at(-2)];
  if (low === undefined || second === undefined || high === undefined || belowHigh === undefined)
    return undefined;
  // The step of the grid on that side: the same ratio again, one value further.
  if (chosen === high) return Number((high * (high / belowHigh)).toPrecision(2));
  if (chosen === low) return Number((low / (second / low)).toPrecision(2));
  return undefined;
}

/** The slot a learning-rate sweep may add on the first seed when its best rate sits on the edge. */
function extensionsOf(plan: GridPlan & Pick<ComparisonPlan, 'seeds' | 'tasks'>, method: Method) {
  const [first] = plan.seeds;
  if (!sweepsRates(plan, method) || first === undefined) return [];
  return plan.tasks.map((task): UpcomingRun => ({ task, method, seed: first }));
}

/**
 * The runs after a swept method's first: its chosen point on every other seed, and on the first
 * seed again (with the test set) when the sweep measured validation loss only.
 */
function replicasOf(
  plan: GridPlan & Pick<ComparisonPlan, 'seeds' | 'tasks' | 'testChosenOnly'>,
  method: Method,
) {
  if (!isSwept(plan, method)) return [];
  const seeds = plan.testChosenOnly ? plan.seeds : plan.seeds.slice(1);
  return plan.tasks.flatMap((task) => seeds.map((seed): UpcomingRun => ({ task, method, seed })));
}

/**
 * Whether a plan's sweep leaves the test set to the point chosen: asked for (`chosen`, `every`),
 * else on every model but the tiny CPU family, whose test evaluation costs little beside training.
 */
export function testsChosenOnly(model: string, asked?: 'chosen' | 'every'): boolean {
  return asked ? asked === 'chosen' : !TINY_FAMILY.includes(model);
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
  options: {
    hybridTarget?: number;
    /** The workspace's measured optimum per method for this model's size bucket. */
    measured?: Partial<Record<Method, number>>;
    /** Which sweep points get the test set (testsChosenOnly); absent: by the model. */
    sweepTest?: 'chosen' | 'every';
  } = {},
): ComparisonPlan {
  const seeds = Array.from({ length: request.seeds }, (_, i) => i);
  const learningRates: Partial<Record<Method, number[]>> = {};
  const lrSources: NonNullable<ComparisonPlan['lrSources']> = {};
  for (const method of request.methods) {
    const grid = planner.grid(request.model, method, request.lrSweep, options.measured?.[method]);
    learningRates[method] = grid.values;
    lrSources[method] = { source: grid.source, ...(grid.note ? { note: grid.note } : {}) };
  }
  const base = {
    tasks: taskNames,
    methods: request.methods,
    seeds,
    ...(testsChosenOnly(request.model, options.sweepTest) ? { testChosenOnly: true } : {}),
    learningRates,
    lrTuned: request.lrSweep,
    lrSources,
    ...(request.lora?.ranks ? { ranks: request.lora.ranks } : {}),
    ...(request.lora ? { lora: request.lora } : {}),
    maxSteps: request.maxSteps,
  };
  if (options.hybridTarget !== undefined) {
    const [first, ...later] = request.methods;
    return {
      ...base,
      runs: first ? firstRunsOf(base, first) : [],
      staging: { kind: 'hybrid', target: options.hybridTarget },
      upcoming: [
        ...(first ? [...extensionsOf(base, first), ...replicasOf(base, first)] : []),
        ...later.flatMap((m) => [
          ...firstRunsOf(base, m).map(slotOf),
          ...extensionsOf(base, m),
          ...replicasOf(base, m),
        ]),
      ],
    };
  }
  const staged =
    (seeds.length > 1 && request.methods.some((m) => isSwept(base, m))) ||
    request.methods.some((m) => sweepsRates(base, m));
  if (!staged) {
    const { testChosenOnly: _unstaged, ...unstaged } = base; // every run of an unstaged plan is tested
    return { ...unstaged, runs: fullGrid(base) };
  }
  return {
    ...base,
    runs: request.methods.flatMap((m) => firstRunsOf(base, m)),
    staging: { kind: 'sweep-then-replicate' },
    upcoming: request.methods.flatMap((m) => [...extensionsOf(base, m), ...replicasOf(base, m)]),
  };
}

/** A learning rate as planned: 6.7e-3, 2e-2 (the grid's two significant digits). */
export const rateText = (value: number) => Number(value.toPrecision(2)).toExponential();

const seedsWord = (n: number) => `${n} seed${n === 1 ? '' : 's'}`;

export function describePlan(plan: ComparisonPlan): string {
  return describeGrid(plan) + describeConfiguration(plan);
}

/** The LoRA settings and where each learning-rate grid came from, one line each. */
function describeConfiguration(plan: ComparisonPlan): string {
  return (
    (plan.methods.some((m) => m !== 'full') ? `\n${describeLora(plan.lora)}.` : '') + describeSources(plan)
  );
}

function describeGrid(plan: ComparisonPlan): string {
  const lrs =
    plan.methods.map((m) => `${m} ${(plan.learningRates[m] ?? []).map(rateText).join('/')}`).join('; ') +
    (plan.ranks ? `; LoRA ranks ${plan.ranks.join('/')}` : '');
  const what = plan.ranks ? 'learning rate and rank' : 'learning rate';
  const tasks = `${plan.tasks.length} task${plan.tasks.length === 1 ? '' : 's'}`;
  const methods = `${plan.methods.length} method${plan.methods.length === 1 ? '' : 's'}`;
  const total = allPlannedRuns(plan).length;
  const steps = `${plan.maxSteps} step${plan.maxSteps === 1 ? '' : 's'}`;
  if (plan.staging?.kind === 'sweep-then-replicate') {
    const extensions = plan.methods.flatMap((m) => extensionsOf(plan, m)).length;
    const replicas = total - plan.runs.length - extensions;
    const widen = extensions
      ? `; a method whose best rate sits on its grid's edge gets one more rate beyond it, once ` +
        `(up to ${extensions} run${extensions === 1 ? '' : 's'})`
      : '';
    const validationOnly = plan.testChosenOnly
      ? ', validation loss only: the test set is evaluated at the point chosen'
      : '';
    const first =
      `Up to ${total} runs of ${steps}, in stages: first the learning-rate sweep (${lrs}) on seed 0 only ` +
      `(${tasks} x ${methods} x grid = ${plan.runs.length} runs${validationOnly})${widen}`;
    if (plan.seeds.length === 1)
      return plan.testChosenOnly
        ? `${first}; the best ${what} per method is picked on the validation split and trained again with the test set (${replicas} runs); one seed gives no interval (seeds=2 or more for one).`
        : `${first}; the best ${what} per method is picked on the validation split; one seed gives no interval (seeds=2 or more for one).`;
    const then = plan.testChosenOnly
      ? `trained again on seed 0 with the test set and replicated on ${seedsWord(plan.seeds.length - 1)} more`
      : `replicated on ${seedsWord(plan.seeds.length - 1)} more`;
    return (
      `${first}; then the ${what} chosen per method on the validation split is ${then} ` +
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
      `${isSwept(plan, first as Method) ? 'grid swept on seed 0, the chosen point replicated on' : 'its default learning rate on'} ` +
      `${seedsWord(plan.seeds.length)}); stage 2 trains ${later.join(', ')} the same way (${total - firstTotal} runs) ` +
      `only if ${first} misses the target. Learning rates: ${lrs}.`
    );
  }
  return (
    `${tasks} x ${methods} x ${seedsWord(plan.seeds.length)} x learning rates (${lrs}) = ${plan.runs.length} runs of ${steps}` +
    (plan.lrTuned
      ? `; the best ${what} per method is picked on the validation split`
      : plan.ranks
        ? '; learning rates NOT tuned (defaults only); the best rank per method is picked on the validation split'
        : '; learning rates NOT tuned (defaults only)') +
    (plan.seeds.length === 1 ? '; one seed gives no interval (seeds=2 or more for one)' : '')
  );
}

function fullGridSize(plan: ComparisonPlan): number {
  return fullGrid(plan).length;
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
