import type { ComparisonDispatcher } from '../../src/comparison/ports';
import type { ComparisonJobRecord, Repositories } from '../../src/persistence/index';
import { taskId } from '../../src/tasks/profiles';

/**
 * A comparison of `methods` on customer service (seed 0, 2 steps on the tiny model) for the fake
 * trainer: stored as queued, then put on the queue by `dispatchComparison`.
 */
export function createComparison(
  jobs: Repositories['jobs'],
  team: string,
  methods: readonly ('lora' | 'full')[],
): Promise<ComparisonJobRecord> {
  return jobs.create({
    teamKey: team,
    conversationKey: `${team}:c:`,
    requesterId: 'tester',
    request: {},
    plan: { lrTuned: false },
    runs: methods.map((method) => ({
      task: 'customer_service',
      method,
      seed: 0,
      learningRate: method === 'lora' ? 1e-3 : 1e-4,
    })),
  });
}

export function dispatchComparison(
  dispatcher: ComparisonDispatcher,
  job: ComparisonJobRecord,
): Promise<void> {
  return dispatcher.dispatch({
    comparisonId: job.id,
    teamKey: job.teamId,
    request: {
      task: { kind: 'suites', tasks: [taskId('customer_service')] },
      model: 'tiny',
      methods: [...new Set(job.runs.map((r) => r.method as 'lora' | 'full'))],
      seeds: 1,
      maxSteps: 2,
      lrSweep: false,
      gpus: 0,
    },
    runs: job.runs.map((r) => ({
      runId: r.id,
      task: r.task,
      method: r.method as 'lora' | 'full',
      seed: r.seed,
      learningRate: r.learningRate,
    })),
  });
}
