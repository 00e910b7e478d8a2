/**
 * "Why?" after a recommendation: the rule that decided it, the decision matrix's entries these
 * answers meet on each side (the framework's words beside plain ones), and the answers that moved
 * the weighted scores most.
 */
import type { Reply } from '../chat/replies';
import type { Answers } from './answers';
import { questionById } from './questions';
import { RECOMMENDATION_LABELS, type Verdict } from './recommendation';

const NAMES = { lora: 'LoRA', full: 'Full fine-tuning', hybrid: 'the hybrid plan' } as const;

export function whyReply(answers: Answers, verdict: Verdict): Reply {
  const side = (rules: Verdict['matrix']['lora']) =>
    rules.length ? rules.map((r) => `- ${r.says(answers)} ("${r.quote}")`) : ['- nothing in your answers'];
  const top = verdict.drivers.slice(0, 3).map((d) => {
    const towards = d.effect >= 0 ? 'towards LoRA' : 'towards full fine-tuning';
    return `- ${questionById(d.question).topic}: ${d.reasons[0]} (${d.effect >= 0 ? '+' : ''}${d.effect.toFixed(2)} ${towards})`;
  });
  const { loraTotal, fullTotal } = verdict.scores;
  return {
    text: [
      `*Why ${NAMES[verdict.recommendation]}*: ${verdict.rule}.`,
      `Scores: LoRA ${loraTotal.toFixed(2)}, full fine-tuning ${fullTotal.toFixed(2)} of 10 (a lead of ${Math.abs(loraTotal - fullTotal).toFixed(2)} for ${loraTotal >= fullTotal ? 'LoRA' : 'full fine-tuning'}).`,
      "For LoRA, in the framework's decision matrix:",
      ...side(verdict.matrix.lora),
      'For full fine-tuning:',
      ...side(verdict.matrix.full),
      ...(verdict.bar ? [verdict.bar.sentence] : []),
      ...(top.length ? ['The answers that moved the scores most:', ...top] : []),
      `_${RECOMMENDATION_LABELS[verdict.recommendation]}. Try "what if ..." with any answer changed._`,
    ].join('\n'),
  };
}

/** "Why do you ask?" while a question is open: what the framework does with the answer. */
export function whyQuestionLine(id: Parameters<typeof questionById>[0]): string {
  return `Why this question: ${questionById(id).why}`;
}
