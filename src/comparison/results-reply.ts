import { adaptationTable } from '../analysis/adaptation';
import { efficiencyTable, taskMetricsTable } from '../analysis/analysis-tables';
import { selectArms } from '../analysis/arms';
import { analyzeCombination, combinationTable } from '../analysis/combination';
import { analyzeComparison } from '../analysis/comparison-analysis';
import { deploymentSummary, deploymentTable } from '../analysis/deployment';
import { forgettingTable } from '../analysis/forgetting';
import { taskHeadline } from '../analysis/headlines';
import { iterationVelocity, type TimedRun, velocityTable } from '../analysis/iteration-velocity';
import { ratesOfRequest } from '../analysis/measured-cost';
import { qualityPerHour, qualityPerHourTable } from '../analysis/quality-per-hour';
import type { RunLike } from '../analysis/run-summary';
import { suiteSummaryTable } from '../analysis/suite-table';
import type { ReplyCharts } from '../charts/reply-charts';
import type { Reply } from '../chat/replies';
import { decisionSection } from './decision-section';
import { asFailure, explainFailure } from './failures';
import type { ComparisonPlan } from './plan';
import type { ComparisonRequest } from './request';
import { resultsTable } from './results-table';

export interface JobLike {
  id: string;
  state: string;
  plan: unknown;
  runs: (RunLike & Pick<TimedRun, 'startedAt'>)[];
  /** When the comparison was dispatched: queue waits are measured from it. */
  createdAt?: Date;
  /** The stored outcome; a staged plan's final verdict is shown with the results. */
  summary?: unknown;
  /** The stored request: its `rates` price the results. */
  request?: unknown;
}

/**
 * The results of a job: headline per task, the measured table, the analysis tables (summary across
 * tasks, per-task metrics with intervals and verdicts, efficiency) and, when `charts` is given,
 * its charts. A chart failure leaves the tables in place and says so.
 */
export async function resultsReply(
  job: JobLike,
  charts?: Pick<ReplyCharts, 'comparison'> & Partial<Pick<ReplyCharts, 'combination'>>,
): Promise<Reply[]> {
  const combine = (job.request as ComparisonRequest | undefined)?.combine;
  if (combine) return combineResultsReply(job, combine.skills, charts);
  const plan = job.plan as ComparisonPlan;
  const arms = selectArms(job.runs);
  if (!arms.some((a) => a.runs.length > 0)) {
    return noRunsYet(job);
  }
  const failures = failureLines(job);
  const rates = ratesOfRequest(job.request);
  const analysis = analyzeComparison(job.runs, { rates });
  const deployments = analysis.tasks.flatMap((task) => {
    const summary = deploymentSummary(task, analysis.rates);
    return summary?.variants.length ? [deploymentTable(summary)] : [];
  });
  const quality = analysis.tasks.flatMap((task) => {
    const q = qualityPerHour(task);
    return q ? [qualityPerHourTable(q)] : [];
  });
  const forgetting = analysis.tasks.flatMap((task) => {
    const table = forgettingTable(task);
    return table ? [table] : [];
  });
  const velocity = iterationVelocity(job.runs, job.createdAt);
  let images: Reply['images'];
  let chartError: string | undefined;
  try {
    images = charts ? await charts.comparison({ jobId: job.id, runs: job.runs, rates }) : undefined;
  } catch (e) {
    chartError = `Charts could not be drawn (${(e as Error).message}); the tables below are complete.`;
  }
  return [
    {
      text: [
        `*Results of ${job.id}* (${job.state})`,
        ...analysis.tasks.map(taskHeadline),
        ...(failures.length ? ['Failed runs:', ...failures] : []),
        ...(chartError ? [chartError] : []),
      ].join('\n'),
      tables: [
        resultsTable(arms, plan?.lrTuned ?? true),
        ...(analysis.suite ? [suiteSummaryTable(analysis.suite)] : []),
        ...(analysis.adaptation ? [adaptationTable(analysis.adaptation)] : []),
        ...analysis.tasks.map(taskMetricsTable),
        efficiencyTable(analysis),
        ...quality,
        ...forgetting,
        ...deployments,
        ...(velocity.length ? [velocityTable(velocity)] : []),
      ],
      ...(images?.length ? { images } : {}),
    },
    ...verdictReplies(job),
    ...decisionReplies(job),
  ];
}

/**
 * A combine job's results: the combination table (one row per variant), the best combination
 * against one multi-task full fine-tune paired by seed, a verdict in words, and its chart.
 */
async function combineResultsReply(
  job: JobLike,
  skills: readonly string[],
  charts?: Partial<Pick<ReplyCharts, 'combination'>>,
): Promise<Reply[]> {
  const analysis = analyzeCombination(job.runs, skills);
  if (!analysis) {
    return noRunsYet(job);
  }
  const failures = failureLines(job);
  let images: Reply['images'];
  let chartError: string | undefined;
  try {
    images = charts?.combination ? await charts.combination(analysis) : undefined;
  } catch (e) {
    chartError = `The chart could not be drawn (${(e as Error).message}); the table below is complete.`;
  }
  return [
    {
      text: [
        `*Results of ${job.id}* (${job.state}): ${skills.length} skill adapters combined vs multi-task fine-tuning`,
        `*Verdict:* ${analysis.verdict}`,
        ...(failures.length ? ['Failed runs:', ...failures] : []),
        ...(chartError ? [chartError] : []),
      ].join('\n'),
      tables: [combinationTable(analysis)],
      ...(images?.length ? { images } : {}),
    },
    ...verdictReplies(job),
  ];
}

/** A staged plan's final verdict, as stored when the job ended. */
function verdictReplies(job: JobLike): Reply[] {
  const verdict = (job.summary as { verdict?: unknown } | null | undefined)?.verdict;
  return typeof verdict === 'string' && verdict ? [{ text: verdict }] : [];
}

function decisionReplies(job: JobLike): Reply[] {
  const section = decisionSection(job);
  return section.lines.length ? [{ text: section.lines.join('\n'), buttons: section.buttons }] : [];
}

function noRunsYet(job: JobLike): Reply[] {
  const state = job.state === 'queued' || job.state === 'running' ? `still ${job.state}` : job.state;
  return [{ text: `No completed runs in ${job.id} yet (${state}).` }];
}

/** One line per failed run, saying why in the user's terms. */
function failureLines(job: JobLike): string[] {
  return job.runs
    .filter((r) => r.state === 'failed')
    .map((r) => {
      const f = asFailure(r.error);
      return `- ${r.task} ${r.method} seed ${r.seed}: ${f ? explainFailure(r.method, f) : 'failed'}`;
    });
}
