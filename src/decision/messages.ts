import type { Reply, Table } from '../chat/replies';
import { compareCosts } from '../cost/cost-model';
import { costTable } from '../cost/messages';
import { formatUsd } from '../parsing/money';
import type { Answers } from './answers';
import { costInputsFor } from './cost-estimate';
import { threeWeekPlan } from './plan';
import { type AnyQuestion, QUESTIONS } from './questions';
import { RECOMMENDATION_LABELS, type Verdict } from './recommendation';
import type { ScoreResult } from './scoring';

export const QUESTION_KEY = 'decide-question';
export const ANSWER_ACTION = 'decide:answer';
export const NAV_ACTION = 'decide:nav';

interface Progress {
  index: number;
  answers: Answers;
}

export function progressMarker(index: number): string {
  return `Question ${index + 1} of ${QUESTIONS.length}`;
}

export function questionReply(question: AnyQuestion, state: Progress, prefix?: string): Reply {
  const choices = question.choices.map((c, i) => `${i + 1}) ${c.label}`).join('   ');
  const numbered =
    question.id === 'team' || question.id === 'model' ? 'Pick a button' : 'Reply with a number';
  const lines = [
    ...(prefix ? [prefix] : []),
    `*${progressMarker(state.index)}*: ${question.prompt}`,
    choices,
    `_${numbered} or type your own answer. Type back, restart or cancel at any time._`,
  ];
  return {
    text: lines.join('\n'),
    key: QUESTION_KEY,
    buttons: [
      ...question.choices.map((c) => ({ actionId: ANSWER_ACTION, value: c.id, label: c.label })),
      ...(state.index > 0 ? [{ actionId: NAV_ACTION, value: 'back', label: 'Back' }] : []),
      { actionId: NAV_ACTION, value: 'restart', label: 'Restart' },
      { actionId: NAV_ACTION, value: 'cancel', label: 'Cancel', style: 'danger' as const },
    ],
  };
}

/** Replaces an answered question (and its buttons) with the answer, so the thread reads as a conversation. */
export function answeredReply(question: AnyQuestion, index: number, label: string): Reply {
  return { text: `*${progressMarker(index)}*: ${question.prompt}\n> ${label}`, replaceKey: QUESTION_KEY };
}

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

function budgetNote(answers: Answers, loraTraining: number, fullTraining: number): string[] {
  const usd = answers.budget?.usd;
  if (usd === undefined) return [];
  const fits = (cost: number) => (cost <= usd ? 'fits' : 'exceeds');
  return [
    `Against your budget of ${formatUsd(usd, 0)}: LoRA training (${formatUsd(loraTraining, 0)}) ${fits(loraTraining)} it; full fine-tuning (${formatUsd(fullTraining, 0)}) ${fits(fullTraining)} it.`,
  ];
}

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
    ...budgetNote(answers, cost.lora.training.total, cost.full.training.total),
  ];
  const plan = threeWeekPlan(answers, verdict.recommendation)
    .map((week) => [`*${week.title}*`, ...week.steps.map((s) => `- ${s}`)].join('\n'))
    .join('\n');
  return [
    {
      text: headline.join('\n'),
      fields: QUESTIONS.map((q, i) => ({
        label: `${i + 1}. ${q.prompt}`,
        value: answers[q.id]?.label ?? '-',
      })),
      tables: [scoreTable(scores), costs],
    },
    { text: `*Your 3-week plan*\n${plan}` },
  ];
}
