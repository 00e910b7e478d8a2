import { analyzeScaling } from '../analysis/scaling';
import { scalingTable } from '../analysis/scaling-table';
import type { ReplyCharts } from '../charts/reply-charts';
import type { Reply } from '../chat/replies';
import type { ComparisonJobRecord, StudyWithJobs } from '../persistence/index';
import type { ComparisonRequest } from './request';

const OPEN = ['queued', 'running'];
const modelOf = (job: ComparisonJobRecord) => (job.request as ComparisonRequest).model;

/** One line per comparison of the study: its model, id and state. */
export function studyMembersText(study: StudyWithJobs): string {
  return study.jobs
    .map((job) => {
      const done = job.runs.filter((r) => r.state === 'completed').length;
      return `- ${modelOf(job)}: comparison ${job.id}, ${job.state} (${done} of ${job.runs.length} runs done)`;
    })
    .join('\n');
}

export const studyHasEnded = (study: StudyWithJobs) =>
  study.jobs.length > 0 && study.jobs.every((j) => !OPEN.includes(j.state));

/**
 * A scaling study's results: the scaling table and charts from its comparisons' runs (each model's
 * own learning rates, chosen on its validation loss), and where each comparison's details are.
 */
export async function studyResultsReply(
  study: StudyWithJobs,
  charts?: Pick<ReplyCharts, 'scaling'>,
): Promise<Reply[]> {
  const header = `*Scaling study ${study.id}*: ${study.jobs.length} models`;
  if (!studyHasEnded(study))
    return [
      {
        text: `${header}, still running; the scaling table comes when every comparison has ended.\n${studyMembersText(study)}`,
      },
    ];
  const analysis = analyzeScaling(study.jobs.map((job) => ({ model: modelOf(job), runs: job.runs })));
  if (!analysis.rows.length)
    return [
      {
        text: `${header}: no comparison completed a run, so there is nothing to compare.\n${studyMembersText(study)}`,
      },
    ];
  let images: Reply['images'];
  let chartError: string | undefined;
  try {
    images = charts ? await charts.scaling(analysis) : undefined;
  } catch (e) {
    chartError = `Charts could not be drawn (${(e as Error).message}); the table below is complete.`;
  }
  return [
    {
      text: [
        `${header}, ended.`,
        studyMembersText(study),
        "Each comparison's own tables: /faceoff results <comparison id>.",
        ...(chartError ? [chartError] : []),
      ].join('\n'),
      tables: [
        scalingTable(analysis, { lrSwept: (study.request as Partial<ComparisonRequest>).lrSweep !== false }),
      ],
      ...(images?.length ? { images } : {}),
    },
  ];
}
