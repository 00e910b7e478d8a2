import { taskProfile } from '../tasks/profiles';
import type { Answers } from './answers';
import type { Adjustment } from './scoring';

/**
 * Turns answers into adjustments of the scoring table, following the framework's Step 1 guidance
 * and decision matrix. Answers the framework calls neutral ("either", not sure) add nothing.
 */
export function adjustmentsFor(answers: Answers): Adjustment[] {
  const out: Adjustment[] = [];
  const add = (a: Adjustment) => out.push(a);

  switch (answers.budget?.bucket) {
    case 'under_1k':
      add({
        question: 'budget',
        criterion: 'budget',
        kind: 'weight',
        factor: 2,
        reason: 'Budget under $1k: cost weighs double (framework: < $1K = LoRA)',
      });
      break;
    case 'over_10k':
      add({
        question: 'budget',
        criterion: 'budget',
        kind: 'weight',
        factor: 0.4,
        reason: 'Budget over $10k: cost weighs less (framework: > $10K = consider both)',
      });
      break;
  }

  switch (answers.timeline?.bucket) {
    case 'under_1w':
      add({
        question: 'timeline',
        criterion: 'speed',
        kind: 'weight',
        factor: 2,
        reason: 'Results needed within a week: speed weighs double',
      });
      break;
    case '1w_2w':
      add({
        question: 'timeline',
        criterion: 'speed',
        kind: 'weight',
        factor: 1.5,
        reason: 'Results needed within 2 weeks: speed weighs 1.5x (framework: < 2 weeks = LoRA)',
      });
      break;
    case 'over_1m':
      add({
        question: 'timeline',
        criterion: 'speed',
        kind: 'weight',
        factor: 0.5,
        reason: 'More than a month available: speed weighs half (framework: both viable)',
      });
      break;
  }

  switch (answers.performance?.value) {
    case 'yes':
      add({
        question: 'performance',
        criterion: 'performance',
        kind: 'weight',
        factor: 0.5,
        reason: "95% of full fine-tuning's performance is acceptable: peak performance weighs half",
      });
      break;
    case 'no':
      add({
        question: 'performance',
        criterion: 'performance',
        kind: 'weight',
        factor: 2,
        reason: 'Every point of performance matters: performance weighs double (framework: No = full FT)',
      });
      break;
  }

  switch (answers.behaviour?.value) {
    case 'yes':
      add({
        question: 'behaviour',
        criterion: 'performance',
        kind: 'score',
        option: 'lora',
        delta: -3,
        reason:
          "Fundamental behaviour change: LoRA's performance score -3 (a low-rank update adds skills more easily than it rewrites behaviour)",
      });
      break;
    case 'no':
      add({
        question: 'behaviour',
        criterion: 'performance',
        kind: 'score',
        option: 'lora',
        delta: 1,
        reason: "Adding skills or knowledge, not changing behaviour: LoRA's performance score +1",
      });
      break;
  }

  if (answers.variants?.value === 'yes') {
    add({
      question: 'variants',
      criterion: 'flexibility',
      kind: 'weight',
      factor: 2,
      reason: 'Several task variants: flexibility weighs double (one base model + one adapter per variant)',
    });
  }

  switch (answers.updates?.value) {
    case 'weekly':
      add({
        question: 'updates',
        criterion: 'maintenance',
        kind: 'weight',
        factor: 2,
        reason: 'Weekly updates: maintenance weighs double (framework: frequent updates = LoRA)',
      });
      add({
        question: 'updates',
        criterion: 'speed',
        kind: 'weight',
        factor: 1.5,
        reason: 'Weekly updates: retraining speed weighs 1.5x',
      });
      break;
    case 'monthly':
      add({
        question: 'updates',
        criterion: 'maintenance',
        kind: 'weight',
        factor: 1.5,
        reason: 'Monthly updates: maintenance weighs 1.5x',
      });
      break;
  }

  const taskId = answers.task?.value;
  if (taskId && taskId !== 'other') {
    const profile = taskProfile(taskId);
    if (profile.expectedWinner === 'Full fine-tuning') {
      add({
        question: 'task',
        criterion: 'performance',
        kind: 'score',
        option: 'lora',
        delta: -2,
        reason: `${profile.label}: the framework expects full fine-tuning to win (${profile.reasoning.toLowerCase()}); LoRA's performance score -2`,
      });
    } else if (profile.expectedWinner === 'Uncertain') {
      add({
        question: 'task',
        criterion: 'performance',
        kind: 'score',
        option: 'lora',
        delta: -1,
        reason: `${profile.label}: the framework's expected winner is uncertain (${profile.reasoning.toLowerCase()}); LoRA's performance score -1`,
      });
    }
  }

  if (answers.team?.bucket === 'small') {
    add({
      question: 'team',
      criterion: 'maintenance',
      kind: 'weight',
      factor: 1.5,
      reason: 'Team of fewer than 5: operational overhead weighs 1.5x (framework: small team = LoRA)',
    });
  }

  switch (answers.model?.bucket) {
    case 'over_60b':
      add({
        question: 'model',
        criterion: 'budget',
        kind: 'weight',
        factor: 1.5,
        reason:
          '60B+ model: full fine-tuning cost grows with size, budget weighs 1.5x (framework: LoRA almost mandatory at 70B+)',
      });
      add({
        question: 'model',
        criterion: 'budget',
        kind: 'score',
        option: 'full',
        delta: -1,
        reason: "60B+ model: full fine-tuning's budget score -1 (multi-GPU sharding needed)",
      });
      break;
    case 'under_3b':
      add({
        question: 'model',
        criterion: 'budget',
        kind: 'score',
        option: 'full',
        delta: 2,
        reason: 'Model under 3B: full fine-tuning fits one GPU, its budget score +2',
      });
      break;
  }
  return out;
}
