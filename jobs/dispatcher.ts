import { FlowProducer } from 'bullmq';
import { ALL_SKILLS, type Variant, variantOf } from '../src/comparison/combinations';
import { trainerLora } from '../src/comparison/lora-options';
import type { ComparisonDispatcher, DispatchInput } from '../src/comparison/ports';
import { methodSpec } from '../src/tasks/methods';
import type { CancellationRegistry } from './cancellation';
import { flowJob } from './definitions';
import type { RedisConnectionOptions } from './redis-connection';
import type { RunConfig, TrainerConfig } from './trainer-protocol';
import { combineConfigSchema, trainerConfigSchema } from './trainer-protocol';

/** The trainer defaults a combine config takes too (its evaluation sizes); the rest are training's. */
const COMBINE_EVALUATION_KEYS = [
  'seq_len',
  'eval_size',
  'test_size',
  'test_paraphrases',
  'max_new_tokens',
  'forgetting_texts',
  'deploy_requests',
] as const;

export interface DispatchSettings {
  /** Tries per run for crashes and lost workers (user errors are never retried). */
  attempts: number;
  backoffMs: number;
  /** BullMQ priority by team key (1 = highest); teams not listed get `defaultPriority`. */
  teamPriorities?: Record<string, number>;
  defaultPriority?: number;
  /** Most runs of one team active at once (0 or absent = no limit). */
  teamConcurrency?: { default: number; teams: Record<string, number> };
  /** Trainer settings applied to every run (batch size, sequence length, evaluation sizes). */
  trainerDefaults?: Partial<
    Pick<
      TrainerConfig,
      | 'batch_size'
      | 'seq_len'
      | 'eval_every'
      | 'eval_size'
      | 'test_size'
      | 'max_new_tokens'
      | 'deploy_requests'
      | 'checkpoint_eval_size'
      | 'quality_checkpoints'
      | 'checkpoint_every'
      | 'test_paraphrases'
      | 'forgetting_texts'
    >
  >;
}

/** Validation points a run gets (besides its last step), so steps to plateau resolve to an eighth of the run. */
export const VALIDATION_POINTS = 8;

/**
 * Steps between validation losses: an eighth of the run (120 steps: every 15), at most every 50
 * steps on long runs; the loss curves and the steps to plateau are measured at these points.
 */
export function validationInterval(maxSteps: number): number {
  return Math.max(1, Math.min(50, Math.ceil(maxSteps / VALIDATION_POINTS)));
}

/** Puts a comparison on the queue as one BullMQ flow: a parent and one child per run. */
export class BullComparisonDispatcher implements ComparisonDispatcher {
  private readonly flows: FlowProducer;

  constructor(
    connection: RedisConnectionOptions,
    prefix: string,
    private readonly cancellation: CancellationRegistry,
    private readonly settings: DispatchSettings,
  ) {
    this.flows = new FlowProducer({ connection, prefix });
  }

  trainerConfig(input: DispatchInput, run: DispatchInput['runs'][number]): RunConfig {
    const variant = variantOf(run.task);
    if (variant) return this.skillConfig(input, run, variant);
    const { request } = input;
    const datasetPath = input.datasetPaths?.[run.task];
    if (request.task.kind === 'dataset' && !datasetPath)
      throw new Error(`no dataset path for task ${run.task} of comparison ${input.comparisonId}`);
    return trainerConfigSchema.parse({
      ...this.trainingFields(input, run),
      task: datasetPath ? 'dataset' : run.task,
      ...(datasetPath ? { dataset_path: datasetPath } : {}),
    });
  }

  /** What every training run's config holds besides its task: defaults, model, method, seed, steps, rate. */
  private trainingFields(input: DispatchInput, run: DispatchInput['runs'][number]) {
    const { request } = input;
    return {
      eval_every: validationInterval(request.maxSteps),
      ...this.settings.trainerDefaults,
      run_id: run.runId,
      model: request.model,
      method: run.method,
      seed: run.seed,
      max_steps: request.maxSteps,
      learning_rate: run.learningRate,
      gpus: request.gpus,
      ...(methodSpec(run.method).adapter ? { lora: trainerLora(request.lora, run.rank) } : {}),
      ...(request.batchSize ? { batch_size: request.batchSize } : {}),
      ...(run.testSet === false ? { test_set: false } : {}),
    };
  }

  /**
   * A combine job's run: a skill run trains on one skill (or `all`), a combination run combines
   * the skill adapters of its seed (their artifact directories on the worker) and is evaluated.
   */
  private skillConfig(input: DispatchInput, run: DispatchInput['runs'][number], variant: Variant): RunConfig {
    const { request } = input;
    const skillDatasets = request.task.kind === 'dataset' ? input.datasetPaths : undefined;
    if (request.task.kind === 'dataset' && !skillDatasets)
      throw new Error(`no dataset paths for the skills of comparison ${input.comparisonId}`);
    const task = skillDatasets ? 'dataset' : variant.base;
    const datasets = skillDatasets ? { skill_datasets: skillDatasets } : {};
    if (variant.kind === 'combination') {
      const defaults = this.settings.trainerDefaults ?? {};
      const evaluation = Object.fromEntries(
        COMBINE_EVALUATION_KEYS.flatMap((key) => (defaults[key] !== undefined ? [[key, defaults[key]]] : [])),
      );
      return combineConfigSchema.parse({
        ...evaluation,
        run_id: run.runId,
        task,
        ...datasets,
        adapters: run.adapters ?? {},
        combination: variant.combination,
        model: request.model,
        seed: run.seed,
      });
    }
    return trainerConfigSchema.parse({
      ...this.trainingFields(input, run),
      task,
      ...datasets,
      skill: variant.kind === 'skill' ? variant.skill : ALL_SKILLS,
    });
  }

  async dispatch(input: DispatchInput): Promise<void> {
    const suffix = input.attemptTag ? `-${input.attemptTag}` : '';
    const priority = this.settings.teamPriorities?.[input.teamKey] ?? this.settings.defaultPriority;
    const common = {
      ...(priority ? { priority } : {}),
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    };
    const limits = this.settings.teamConcurrency;
    const teamConcurrency = limits ? (limits.teams[input.teamKey] ?? limits.default) : 0;
    const children = input.runs.map((run) =>
      flowJob(
        'training-run',
        {
          comparisonId: input.comparisonId,
          runId: run.runId,
          teamKey: input.teamKey,
          ...(teamConcurrency > 0 ? { teamConcurrency } : {}),
          config: this.trainerConfig(input, run),
        },
        {
          ...common,
          jobId: `${run.runId}${suffix}`,
          attempts: this.settings.attempts,
          backoff: { type: 'exponential', delay: this.settings.backoffMs },
          ignoreDependencyOnFailure: true,
        },
      ),
    );
    await this.flows.add(
      flowJob(
        'comparison',
        { comparisonId: input.comparisonId, teamKey: input.teamKey },
        {
          ...common,
          jobId: `${input.comparisonId}${input.stage ? `-s${input.stage}` : ''}${suffix}`,
          attempts: 5,
          backoff: { type: 'exponential', delay: 2000 },
        },
        children,
      ),
    );
  }

  async cancel(_comparisonId: string, queueJobIds: string[]): Promise<void> {
    await this.cancellation.cancel(queueJobIds);
  }

  close(): Promise<void> {
    return this.flows.close();
  }
}
