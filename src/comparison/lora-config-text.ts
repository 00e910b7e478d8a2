import type { LoraUsed, RunSummary } from '../analysis/run-summary';

const RULE_WORDS: Record<string, string> = {
  preset: 'preset as written',
  scaled: 'preset scaled by width',
  explicit: 'rank as requested',
};

function targetsText(lora: LoraUsed): string {
  const used = lora.targets_used ?? (Array.isArray(lora.target_modules) ? lora.target_modules : []);
  if (lora.target_modules === 'all-linear') return 'all linear';
  return used.length ? used.join('+') : String(lora.target_modules);
}

/** "r=16 α=32 dropout 0.1, all linear (preset as written)" from what the trainer reports it built. */
export function loraConfigText(lora: LoraUsed | null | undefined): string | undefined {
  if (!lora || typeof lora.rank !== 'number') return undefined;
  // Runs recorded before rank rules were named carry the rule's formula and rank_scaled instead.
  const rule =
    (lora.rank_rule ? RULE_WORDS[lora.rank_rule] : undefined) ??
    (lora.rank_scaled ? RULE_WORDS.scaled : undefined);
  return `r=${lora.rank} α=${lora.alpha} dropout ${lora.dropout}, ${targetsText(lora)}${rule ? ` (${rule})` : ''}`;
}

/** The adapter of an arm's runs (they share it), or "all weights" for full fine-tuning. */
export function armConfigText(runs: RunSummary[]): string {
  const texts = [...new Set(runs.map((r) => loraConfigText(r.lora)).filter((t): t is string => !!t))];
  if (texts.length) return texts.join('; ');
  return runs.some((r) => r.trainable_params === r.total_params) ? 'all weights' : '-';
}
