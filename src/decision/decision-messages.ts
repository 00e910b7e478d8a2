/**
 * The recommendation as replies: the headline with the framework's rule that decided it, the
 * answers, the weighted-score table, a cost estimate on one per-task basis checked against the
 * budget, and the three-week plan.
 */
import type { Reply, Table } from '../chat/replies';
import { compareCosts } from '../cost/cost-model';
import { costTable } from '../cost/messages';
import { formatUsd } from '../parsing/money';
import type { Answers } from './answers';
import { costInputsFor } from './cost-estimate';
import { threeWeekPlan, weekOne } from './plan';
import { QUESTIONS } from './questions';
import { RECOMMENDATION_LABELS, type Verdict } from './recommendation';
import type { ScoreResult } from './scoring';

const fmt = (value: number) => value.toFixed(2);

export function scoreTable(scores: ScoreResult): Table {
  const measured = scores.rows.filter((r) => r.source === 'measured');
  return {
    title: 'Weighted scores (framework criteria; 10 = best)',
    columns: [
      { header: 'Criterion' },
      { header: 'Scores from' },
      { header: 'Weight', align: 'right' },
      { header: 'LoRA', align: 'right' },
      { header: 'Full FT', align: 'right' },
      { header: 'LoRA x w', align: 'right' },
      { header: 'Full x w', align: 'right' },
    ],
    rows: [
      ...scores.rows.map((r) => [
        r.label,
        r.source === 'measured' ? 'measured' : 'framework default',
        r.weight.toFixed(3) === r.baseWeight.toFixed(3)
          ? fmt(r.weight)
          : `${fmt(r.baseWeight)} -> ${r.weight.toFixed(3)}`,
        r.lora === r.baseLora ? String(r.lora) : `${r.baseLora} -> ${r.lora}`,
        r.full === r.baseFull ? String(r.full) : `${r.baseFull} -> ${r.full}`,
        r.weightedLora.toFixed(3),
        r.weightedFull.toFixed(3),
      ]),
      ['Total', '', '1.00', '', '', scores.loraTotal.toFixed(2), scores.fullTotal.toFixed(2)],
    ],
    notes: [
      ...(scores.adjustments.length
        ? [
            'Adjusted from the framework table by your answers (weights renormalised to sum to 1):',
            ...scores.adjustments.map((a) => `- ${a.reason}`),
          ]
        : ["No answer carried a preference: these are the framework table's own weights."]),
      ...(measured.length
        ? [
            'Measured criteria (the better method on each measurement scores 10, the other by the rules in the README, "Measured scores"):',
            ...measured.map((r) => `- ${r.label}: ${r.basis}`),
          ]
        : []),
    ],
  };
}

export interface ProjectCost {
  tasks: number;
  lora: number;
  full: number;
}

/** Training cost for the whole project (all variants), on the estimate's per-task basis. */
export function projectTrainingCost(answers: Answers): ProjectCost {
  const estimate = costInputsFor(answers);
  const cost = compareCosts(estimate.inputs);
  return { tasks: estimate.tasks, lora: cost.lora.training.total, full: cost.full.training.total };
}

/** The budget against both methods' training cost for the same number of fine-tunes. */
export function budgetNote(answers: Answers, cost: ProjectCost): string[] {
  const usd = answers.budget?.usd;
  if (usd === undefined || answers.budget?.unlimited) return [];
  const fits = (value: number) => (value <= usd ? 'fits' : 'exceeds');
  const scope = cost.tasks === 1 ? 'one task' : `${cost.tasks} variants`;
  return [
    `Against your budget of ${formatUsd(usd, 0)}, for ${scope}: LoRA training (${formatUsd(cost.lora, 0)}) ${fits(cost.lora)} it; full fine-tuning (${formatUsd(cost.full, 0)}) ${fits(cost.full)} it.`,
  ];
}

export const AFTERWARDS =
  '_Ask "why?" for the reasons, or "what if the budget were $20k?" (any answer) to see what would change; correct an answer with e.g. "actually we have 3 engineers"._';

export function decisionReplies(answers: Answers, verdict: Verdict): Reply[] {
  const { scores } = verdict;
  const drivers = verdict.drivers.slice(0, 4).map((d) => {
    const direction = d.effect >= 0 ? 'towards LoRA' : 'towards full fine-tuning';
    return `- ${d.reasons[0]} (${d.effect >= 0 ? '+' : ''}${d.effect.toFixed(2)} ${direction})`;
  });
  const headline = [
    `*Recommendation: ${RECOMMENDATION_LABELS[verdict.recommendation]}*`,
    verdict.evidence
      ? `LoRA scores ${scores.loraTotal.toFixed(2)} and full fine-tuning ${scores.fullTotal.toFixed(2)} of 10 (computed from your answers and the measurements of comparison ${verdict.evidence.jobId} on ${verdict.evidence.task}; the table says which criteria were measured).`
      : `LoRA scores ${scores.loraTotal.toFixed(2)} and full fine-tuning ${scores.fullTotal.toFixed(2)} of 10 (computed from your answers with the framework's weighted criteria; no comparison of this task measured here yet).`,
    `Why: ${verdict.rule}.`,
    ...(verdict.bar ? [verdict.bar.sentence] : []),
    ...(verdict.fullSignals.length
      ? [`Pointing to full fine-tuning: ${verdict.fullSignals.join('; ')}.`]
      : []),
    ...(drivers.length
      ? ['What moved the scores most:', ...drivers]
      : ['None of your answers carried a preference.']),
  ];
  const estimate = costInputsFor(answers);
  const cost = compareCosts(estimate.inputs);
  const costs = costTable(cost);
  costs.title =
    'Cost estimate for your project (computed from your answers; a planning estimate, not a measurement)';
  costs.notes = [
    ...(costs.notes ?? []),
    ...estimate.basis,
    ...budgetNote(answers, {
      tasks: estimate.tasks,
      lora: cost.lora.training.total,
      full: cost.full.training.total,
    }),
  ];
  const week1 = weekOne(answers, verdict);
  const plan = threeWeekPlan(answers, verdict.recommendation)
    .map((week) => [`*${week.title}*`, ...week.steps.map((s) => `- ${s}`)].join('\n'))
    .join('\n');
  return [
    {
      text: headline.join('\n'),
      fields: QUESTIONS.filter((q) => answers[q.id] !== undefined).map((q) => ({
        label: q.prompt,
        value: answers[q.id]?.label ?? '-',
      })),
      tables: [scoreTable(scores), costs],
    },
    {
      text: `*Your 3-week plan*\n${plan}\n${week1.line}\n${AFTERWARDS}`,
      ...(week1.buttons.length ? { buttons: week1.buttons } : {}),
    },
  ];
}
