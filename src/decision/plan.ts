import type { Button } from '../chat/replies';
import { RUN_COMMAND_ACTION } from '../commands/command-text';
import { DEFAULT_LORA_PRESET, isTaskId, taskProfile } from '../tasks/profiles';
import type { Answers } from './answers';
import { acceptedShare, type Recommendation, type Verdict } from './recommendation';

export interface PlanWeek {
  title: string;
  steps: string[];
}

/** The framework's Step 3 hybrid plan, filled in with the task's LoRA preset and the recommendation. */
export function threeWeekPlan(answers: Answers, recommendation: Recommendation): PlanWeek[] {
  const taskId = answers.task?.value;
  const profile = taskId && taskId !== 'other' ? taskProfile(taskId) : undefined;
  const preset = profile?.lora ?? DEFAULT_LORA_PRESET;
  const presetText = `r=${preset.r}, alpha=${preset.alpha}, dropout=${preset.dropout}${profile ? ` (the ${profile.label.toLowerCase()} preset)` : ' (a general starting preset)'}`;
  const compare = profile
    ? `/faceoff compare task=${profile.id} model=<your model>`
    : '/faceoff compare task=<dataset id> model=<your model>';
  const week3 =
    recommendation === 'full'
      ? [
          'Run full fine-tuning with the learning rate tuned on validation, same data and seed as the LoRA run',
          'Ship it if the measured gain is worth its measured cost; keep the LoRA adapter as a cheap fallback',
        ]
      : [
          'Deploy LoRA if its performance is adequate',
          'Upgrade to full fine-tuning only if the gap is business-critical',
          'Consider a hybrid deployment: LoRA as standard, full fine-tuning as a premium tier',
        ];
  return [
    {
      title: 'Week 1: begin with LoRA',
      steps: [
        `Train a LoRA adapter with ${presetText}, all linear layers targeted`,
        'Validate core functionality on held-out examples',
        `Measure the gap to full fine-tuning under identical controls: ${compare}`,
      ],
    },
    {
      title: 'Week 2: evaluate the results',
      steps: [
        "Is LoRA's performance sufficient for the task?",
        'What is the business impact of the measured gap?',
        'Can LoRA be improved further (rank, target modules, learning rate)?',
      ],
    },
    { title: 'Week 3: make the final decision', steps: week3 },
  ];
}

/**
 * Week 1 as a staged job: `/faceoff plan` on the task with the model the measurements came from,
 * and a target of the accepted share of full fine-tuning's measured score. Without measurements
 * the command is given to type, since neither a model nor an absolute target is known yet.
 */
export function weekOne(answers: Answers, verdict: Verdict): { line: string; buttons: Button[] } {
  const evidence = verdict.evidence;
  const answered = answers.task?.value;
  const task = evidence?.task ?? (answered && answered !== 'other' ? answered : undefined);
  const share = acceptedShare(answers);
  if (evidence?.model && evidence.fullScore !== undefined && task) {
    const target = Math.min(1, Math.max(0, Number((share * evidence.fullScore).toFixed(3))));
    const command = `plan task=${task} model=${evidence.model} target=${target}`;
    return {
      line: `Start week 1 as a staged job: /faceoff ${command} (target: ${Math.round(share * 100)}% of full fine-tuning's measured ${evidence.metric} ${evidence.fullScore.toFixed(3)} in ${evidence.jobId}, computed). LoRA trains first; full fine-tuning only if LoRA misses the target.`,
      buttons: [{ actionId: RUN_COMMAND_ACTION, value: command, label: 'Start week 1', style: 'primary' }],
    };
  }
  const suite = task && isTaskId(task) ? task : '<task or dataset id>';
  return {
    line: `Start week 1 as a staged job: /faceoff plan task=${suite} model=<your model> target=<the test score you need, 0-1>. LoRA trains first; full fine-tuning only if LoRA misses the target.`,
    buttons: [],
  };
}
