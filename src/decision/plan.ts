import { DEFAULT_LORA_PRESET, taskProfile } from '../tasks/profiles';
import type { Answers } from './answers';
import type { Recommendation } from './recommendation';

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
