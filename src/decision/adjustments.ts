import { taskProfile } from '../tasks/profiles';
import type { Answers } from './answers';
import type { Adjustment } from './scoring';

/**
 * Turns answers into adjustments of the scoring table, following the framework's Step 1 and its
 * decision matrix. Two kinds, chosen so that an answer always moves the scores the way the
 * framework says:
 * - how much a criterion matters (budget, performance): a weight factor, on the criterion with
 *   the largest lead of either method, so raising it favours that method whatever else was said;
 * - what the situation does to one method's score (time, variants, updates, team, task, domain,
 *   stage, size): a score shift for that method, which can only favour the other.
 * Answers the framework calls neutral ("either", not sure) add nothing.
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
        factor: 0.5,
        reason: 'Budget over $10k: cost weighs half (framework: > $10K = consider both)',
      });
      break;
  }

  switch (answers.timeline?.bucket) {
    case 'under_1w':
      add({
        question: 'timeline',
        criterion: 'speed',
        kind: 'score',
        option: 'full',
        delta: -2,
        reason:
          "Results needed within a week: full fine-tuning's speed score -2 (its experiment cycle is about a week)",
      });
      break;
    case '1w_2w':
      add({
        question: 'timeline',
        criterion: 'speed',
        kind: 'score',
        option: 'full',
        delta: -1,
        reason:
          "Results needed within 2 weeks: full fine-tuning's speed score -1 (framework: < 2 weeks = LoRA)",
      });
      break;
    case 'over_1m':
      add({
        question: 'timeline',
        criterion: 'speed',
        kind: 'score',
        option: 'full',
        delta: 2,
        reason:
          "More than a month available: full fine-tuning's speed score +2 (framework: > 1 month = both viable)",
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
        reason:
          "95% of full fine-tuning's performance is acceptable: peak performance weighs half (framework: Yes = LoRA)",
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
          "Fundamental behaviour change: LoRA's performance score -3 (framework: Yes = full FT; a low-rank update adds skills more easily than it rewrites behaviour)",
      });
      break;
    case 'no':
      add({
        question: 'behaviour',
        criterion: 'performance',
        kind: 'score',
        option: 'lora',
        delta: 1,
        reason:
          "Adding skills or knowledge, not changing behaviour: LoRA's performance score +1 (framework: No = LoRA)",
      });
      break;
  }

  if (answers.variants?.value === 'yes') {
    add({
      question: 'variants',
      criterion: 'flexibility',
      kind: 'score',
      option: 'full',
      delta: -3,
      reason:
        "Several task variants: full fine-tuning's flexibility score -3 (one full model per variant; framework: Yes = LoRA)",
    });
  }

  switch (answers.updates?.value) {
    case 'weekly':
      add({
        question: 'updates',
        criterion: 'maintenance',
        kind: 'score',
        option: 'full',
        delta: -2,
        reason:
          "Updates weekly or more often: full fine-tuning's maintenance score -2 (framework: frequently = LoRA)",
      });
      break;
    case 'monthly':
      add({
        question: 'updates',
        criterion: 'maintenance',
        kind: 'score',
        option: 'full',
        delta: -1,
        reason:
          "Updates every few weeks to monthly: full fine-tuning's maintenance score -1 (framework: frequently = LoRA)",
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
      kind: 'score',
      option: 'full',
      delta: -1,
      reason:
        "Team of fewer than 5: full fine-tuning's maintenance score -1 (its large checkpoints and multi-GPU runs weigh on a small team; framework: small team = LoRA)",
    });
  }

  const paramsB = answers.model?.paramsB;
  if (paramsB !== undefined ? paramsB >= 70 : answers.model?.bucket === 'over_60b') {
    add({
      question: 'model',
      criterion: 'budget',
      kind: 'weight',
      factor: 1.5,
      reason:
        '70B-class model: full fine-tuning cost grows with size, budget weighs 1.5x (framework: LoRA almost mandatory at 70B+)',
    });
    add({
      question: 'model',
      criterion: 'budget',
      kind: 'score',
      option: 'full',
      delta: -1,
      reason: "70B-class model: full fine-tuning's budget score -1 (multi-GPU sharding needed)",
    });
  }

  if (answers.domain?.value === 'yes') {
    add({
      question: 'domain',
      criterion: 'performance',
      kind: 'score',
      option: 'lora',
      delta: -2,
      reason:
        "Major shift from the pre-training domain: LoRA's performance score -2 (framework: domain shift = full FT)",
    });
  }

  if (answers.stage?.value === 'prototype') {
    add({
      question: 'stage',
      criterion: 'speed',
      kind: 'score',
      option: 'full',
      delta: -1,
      reason:
        "Prototyping: full fine-tuning's speed score -1 (framework: rapid prototyping and iteration = LoRA)",
    });
  }
  return out;
}
