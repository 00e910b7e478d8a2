/**
 * "What this means for the decision": a finished comparison's measurements re-scored with the
 * framework's criteria for a neutral profile (no answers), per task, with LoRA's measured share
 * against the framework's 95% bar, and a button that runs `decide` with these measurements.
 */
import { ratesOfRequest } from '../analysis/measured-cost';
import type { Button } from '../chat/replies';
import { RUN_COMMAND_ACTION } from '../commands/command-text';
import { evidenceFromRuns } from '../decision/evidence';
import { decide, RECOMMENDATION_LABELS } from '../decision/recommendation';
import type { JobLike } from './results-reply';

/** At most this many tasks get a line of their own. */
const SHOWN_TASKS = 5;

export function decisionSection(job: JobLike): { lines: string[]; buttons: Button[] } {
  const evidence = evidenceFromRuns(job.id, job.runs, ratesOfRequest(job.request));
  if (!evidence.length) return { lines: [], buttons: [] };
  const lines = evidence.slice(0, SHOWN_TASKS).map((e) => {
    const verdict = decide({}, e);
    const measured = verdict.scores.rows.filter((r) => r.source === 'measured').length;
    return `- ${e.task}: LoRA ${verdict.scores.loraTotal.toFixed(2)} vs full fine-tuning ${verdict.scores.fullTotal.toFixed(2)} of 10 (${measured} of ${verdict.scores.rows.length} criteria measured, framework weights) -> ${RECOMMENDATION_LABELS[verdict.recommendation].split(':')[0]}. ${verdict.bar?.sentence ?? ''}`.trim();
  });
  return {
    lines: [
      '*What this means for the decision* (computed from these measurements for a neutral profile: no budget, timeline or other answers)',
      ...lines,
      `Weigh them with your own answers: /faceoff decide job=${job.id}`,
    ],
    buttons: [
      {
        actionId: RUN_COMMAND_ACTION,
        value: `decide job=${job.id}`,
        label: 'Decide with these measurements',
      },
    ],
  };
}
