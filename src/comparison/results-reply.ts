import type { Reply } from '../chat/replies';
import { selectArms } from './arms';
import { asFailure, explainFailure } from './failures';
import type { ComparisonPlan } from './plan';
import { resultsTable } from './results-table';
import type { RunLike } from './run-summary';

export interface JobLike {
  id: string;
  state: string;
  plan: unknown;
  runs: RunLike[];
}

/** The results table of a job (and, where a chart renderer is wired, its charts). */
export function resultsReply(job: JobLike): Reply[] {
  const plan = job.plan as ComparisonPlan;
  const arms = selectArms(job.runs);
  if (!arms.some((a) => a.runs.length > 0)) {
    const state = job.state === 'queued' || job.state === 'running' ? `still ${job.state}` : job.state;
    return [{ text: `No completed runs in ${job.id} yet (${state}).` }];
  }
  const failures = job.runs
    .filter((r) => r.state === 'failed')
    .map((r) => {
      const f = asFailure(r.error);
      return `- ${r.task} ${r.method} seed ${r.seed}: ${f ? explainFailure(r.method, f) : 'failed'}`;
    });
  return [
    {
      text: [
        `*Results of ${job.id}* (${job.state})`,
        ...(failures.length ? ['Failed runs:', ...failures] : []),
      ].join('\n'),
      tables: [resultsTable(arms, plan?.lrTuned ?? true)],
    },
  ];
}
