import { formatSeconds } from '../format/units';
import type { ComparisonJobRepository } from '../persistence/index';
import type { ComparisonRequest } from './request';
import { summaryOf } from './run-summary';

/**
 * Estimated device time from this workspace's own measured runs of the same model and method
 * (seconds per step x steps); says so plainly when nothing has been measured yet.
 */
export async function estimateDuration(
  jobs: Pick<ComparisonJobRepository, 'listRecent'>,
  teamKey: string,
  request: ComparisonRequest,
): Promise<string> {
  const recent = await jobs.listRecent(teamKey, 20);
  const perStep = new Map<string, number[]>();
  for (const job of recent) {
    for (const run of job.runs) {
      const s = summaryOf(run);
      const steps = s?.train_curve.at(-1)?.step;
      if (!s || s.model !== request.model || !steps) continue;
      perStep.set(run.method, [...(perStep.get(run.method) ?? []), s.wall_time_s / steps]);
    }
  }
  const runsPerMethod = (request.task.kind === 'suites' ? request.task.tasks.length : 1) * request.seeds;
  const parts: string[] = [];
  let total = 0;
  for (const method of request.methods) {
    const samples = perStep.get(method);
    if (!samples?.length) {
      return `Estimated device time: unknown, no measured ${method} run of ${request.model} in this workspace yet (the first runs will measure it).`;
    }
    const seconds = (samples.reduce((a, b) => a + b, 0) / samples.length) * request.maxSteps;
    parts.push(`${method} ~${formatSeconds(seconds)} per run`);
    total += seconds * runsPerMethod;
  }
  return `Estimated device time: ${parts.join(', ')} (from ${[...perStep.values()].flat().length} measured runs here), about ${formatSeconds(total)} per learning rate tried, before evaluation.`;
}
