/**
 * "What if ...": the finished answers with some changed, scored again, against the recommendation
 * given: what changed in the answers, whether the recommendation flips, how the scores, the
 * decision matrix and the training cost move. Nothing is kept; a correction ("actually ...") is.
 */
import type { Reply } from '../chat/replies';
import { formatUsd } from '../parsing/money';
import type { Answers, QuestionId } from './answers';
import { projectTrainingCost } from './decision-messages';
import { questionById } from './questions';
import { RECOMMENDATION_LABELS, type Verdict } from './recommendation';

const short = (r: Verdict['recommendation']) => RECOMMENDATION_LABELS[r].split(':')[0] ?? r;

export interface Change {
  id: QuestionId;
  from?: string;
  to: string;
}

export function changesBetween(before: Answers, after: Answers): Change[] {
  const ids = new Set([...Object.keys(before), ...Object.keys(after)] as QuestionId[]);
  return [...ids].flatMap((id) => {
    const to = after[id]?.label;
    const from = before[id]?.label;
    if (to === undefined || to === from) return [];
    return [{ id, to, ...(from !== undefined ? { from } : {}) }];
  });
}

export function whatIfReply(
  before: { answers: Answers; verdict: Verdict },
  after: { answers: Answers; verdict: Verdict },
  notes: string[] = [],
): Reply {
  const changes = changesBetween(before.answers, after.answers);
  const flips = before.verdict.recommendation !== after.verdict.recommendation;
  const ids = (v: Verdict) => new Set([...v.matrix.lora, ...v.matrix.full].map((r) => r.id));
  const was = ids(before.verdict);
  const now = ids(after.verdict);
  const all = [
    ...before.verdict.matrix.lora,
    ...before.verdict.matrix.full,
    ...after.verdict.matrix.lora,
    ...after.verdict.matrix.full,
  ];
  const gained = all.filter(
    (r, i) => now.has(r.id) && !was.has(r.id) && all.findIndex((x) => x.id === r.id) === i,
  );
  const lost = all.filter(
    (r, i) => was.has(r.id) && !now.has(r.id) && all.findIndex((x) => x.id === r.id) === i,
  );
  const side = (s: 'lora' | 'full') => (s === 'lora' ? 'for LoRA' : 'for full fine-tuning');
  const costBefore = projectTrainingCost(before.answers);
  const costAfter = projectTrainingCost(after.answers);
  const costMoved = costBefore.lora !== costAfter.lora || costBefore.full !== costAfter.full;
  const sb = before.verdict.scores;
  const sa = after.verdict.scores;
  return {
    text: [
      `*What if: ${changes.map((c) => `${questionById(c.id).topic.toLowerCase()} ${c.to}${c.from ? ` (now ${c.from})` : ''}`).join('; ')}*`,
      flips
        ? `The recommendation flips: ${short(before.verdict.recommendation)} -> *${short(after.verdict.recommendation)}* (${after.verdict.rule}).`
        : `The recommendation stays ${short(after.verdict.recommendation)} (${after.verdict.rule}).`,
      `Scores: LoRA ${sb.loraTotal.toFixed(2)} -> ${sa.loraTotal.toFixed(2)}, full fine-tuning ${sb.fullTotal.toFixed(2)} -> ${sa.fullTotal.toFixed(2)}.`,
      ...gained.map((r) => `- now met ${side(r.side)}: "${r.quote}"`),
      ...lost.map((r) => `- no longer met ${side(r.side)}: "${r.quote}"`),
      ...(costMoved
        ? [
            `Training cost (${costAfter.tasks === 1 ? 'one task' : `${costAfter.tasks} variants`}): LoRA ${formatUsd(costBefore.lora, 0)} -> ${formatUsd(costAfter.lora, 0)}, full fine-tuning ${formatUsd(costBefore.full, 0)} -> ${formatUsd(costAfter.full, 0)}.`,
          ]
        : []),
      ...notes,
      '_Nothing was changed. To keep it, say e.g. "actually ..." with the new answer._',
    ].join('\n'),
  };
}
