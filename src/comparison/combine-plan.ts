/**
 * A combine job's plan and stages. Stage 1, on every seed: one LoRA run per skill, one multi-task
 * LoRA run and one multi-task full fine-tuning run (every skill at once), same steps, batch and
 * seeds. Stage 2, once stage 1 has ended: for every seed whose skill runs all completed, one run per
 * combination type that combines that seed's skill adapters (nothing is trained; it is evaluated
 * like a multi-task run). No learning-rate sweep: each method's default rate for the model's size.
 */
import type { RunLike } from '../analysis/run-summary';
import { type CombineRequest, combinationTask, multiTask, skillTask, variantOf } from './combinations';
import type { ComparisonPlan, LearningRatePlanner, PlannedRun, UpcomingRun } from './plan';
import { rateText } from './plan';
import type { ComparisonRequest } from './request';
import type { StageStep } from './stages';

/** The base task of a combine job's runs: the suite, or `dataset` when each skill is a dataset. */
export function combineBase(request: ComparisonRequest): string {
  return request.task.kind === 'suites' ? (request.task.tasks[0] ?? 'dataset') : 'dataset';
}

/** Combination runs train nothing: their learning rate is stored as 0. */
export const NOT_TRAINED = 0;

export function planCombine(
  request: ComparisonRequest & { combine: CombineRequest },
  planner: LearningRatePlanner,
): ComparisonPlan {
  const base = combineBase(request);
  const { skills, combinations } = request.combine;
  const seeds = Array.from({ length: request.seeds }, (_, i) => i);
  const lora = planner.grid(request.model, 'lora', false);
  const full = planner.grid(request.model, 'full', false);
  const runs: PlannedRun[] = seeds.flatMap((seed) => [
    ...skills.map((skill) => ({
      task: skillTask(base, skill),
      method: 'lora' as const,
      seed,
      learningRate: lora.default,
    })),
    { task: multiTask(base), method: 'lora' as const, seed, learningRate: lora.default },
    { task: multiTask(base), method: 'full' as const, seed, learningRate: full.default },
  ]);
  const upcoming: UpcomingRun[] = seeds.flatMap((seed) =>
    combinations.map((c) => ({ task: combinationTask(base, c), method: 'lora' as const, seed })),
  );
  return {
    tasks: [base],
    methods: ['lora', 'full'],
    seeds,
    learningRates: { lora: [lora.default], full: [full.default] },
    lrTuned: false,
    lrSources: {
      lora: { source: lora.source, ...(lora.note ? { note: lora.note } : {}) },
      full: { source: full.source, ...(full.note ? { note: full.note } : {}) },
    },
    maxSteps: request.maxSteps,
    runs,
    staging: { kind: 'combine' },
    upcoming,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What the queued reply says about a combine plan. */
export function describeCombinePlan(plan: ComparisonPlan, combine: CombineRequest): string {
  const k = combine.skills.length;
  const seeds = plan.seeds.length;
  const lora = plan.learningRates.lora?.[0];
  const full = plan.learningRates.full?.[0];
  return [
    `Up to ${plan.runs.length + (plan.upcoming?.length ?? 0)} runs of ${plural(plan.maxSteps, 'step')}, on ${plural(seeds, 'seed')}. ` +
      `Stage 1 (${plan.runs.length} runs): one LoRA adapter per skill (${combine.skills.join(', ')}), ` +
      'one multi-task LoRA run and one multi-task full fine-tuning run on every skill at once, per seed. ' +
      `Stage 2 (up to ${plan.upcoming?.length ?? 0} runs): each seed's ${k} skill adapters combined ` +
      `(${combine.combinations.join(', ')}) and evaluated; nothing is trained.`,
    `Learning rates NOT tuned: each method's default for this model size (lora ${lora === undefined ? '?' : rateText(lora)}, full ${full === undefined ? '?' : rateText(full)}).`,
  ].join('\n');
}

/**
 * Stage 2 of a combine job, once stage 1 has ended: the combination runs of every seed whose
 * skill runs all completed (a seed with a missing adapter is skipped and named). Added once per
 * seed: a seed that has combination runs gets no more, so a job whose stage 2 has ended simply
 * ends, and a seed skipped for a failed skill run gets its combinations once a retry completes it.
 */
export function combineStage(
  request: ComparisonRequest,
  plan: ComparisonPlan,
  runs: readonly RunLike[],
  id?: string,
): StageStep {
  const combine = request.combine;
  if (!combine) return {};
  const combined = new Set(runs.filter((r) => variantOf(r.task)?.kind === 'combination').map((r) => r.seed));
  const base = combineBase(request);
  const next: PlannedRun[] = [];
  const skipped: string[] = [];
  for (const seed of plan.seeds.filter((s) => !combined.has(s))) {
    const missing = combine.skills.filter(
      (skill) =>
        !runs.some((r) => r.task === skillTask(base, skill) && r.seed === seed && r.state === 'completed'),
    );
    if (missing.length) {
      skipped.push(`seed ${seed} (${missing.join(', ')} did not complete)`);
      continue;
    }
    for (const combination of combine.combinations)
      next.push({
        task: combinationTask(base, combination),
        method: 'lora',
        seed,
        learningRate: NOT_TRAINED,
      });
  }
  const seedsUsed = [...new Set(next.map((r) => r.seed))];
  const skippedText = skipped.length
    ? ` Skipped: ${skipped.join('; ')}: a combination needs every skill's adapter.`
    : '';
  // Stage 2 ran (a skipped seed was said then): the job ends.
  if (!next.length && combined.size) return {};
  if (!next.length)
    return {
      verdict: { text: `${id ? `Combine job ${id}: no` : 'No'} combination was run.${skippedText}` },
    };
  return {
    outcome:
      `Stage 1 finished: skill adapters, multi-task LoRA and multi-task full fine-tuning.${skippedText} ` +
      `Next: ${next.length} combination runs (${combine.combinations.join(', ')}) of the skill adapters of seed${seedsUsed.length === 1 ? '' : 's'} ${seedsUsed.join(', ')}.`,
    next,
  };
}

/**
 * The skill adapters a combination run combines: the artifact directory of each completed skill
 * run of its seed, by skill. Empty for any other run.
 */
export function adaptersFor(
  run: Pick<RunLike, 'task' | 'seed'>,
  runs: readonly (Pick<RunLike, 'task' | 'seed' | 'state'> & { artifactPath?: string | null })[],
): Record<string, string> {
  const variant = variantOf(run.task);
  if (variant?.kind !== 'combination') return {};
  const out: Record<string, string> = {};
  for (const other of runs) {
    const v = variantOf(other.task);
    if (
      v?.kind === 'skill' &&
      v.base === variant.base &&
      other.seed === run.seed &&
      other.state === 'completed' &&
      other.artifactPath
    )
      out[v.skill] = other.artifactPath;
  }
  return out;
}
