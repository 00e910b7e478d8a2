/**
 * The LoRA configuration a comparison asks for: rank, alpha, target modules, a rank sweep and the
 * rank rule. Nothing given means the task's preset (framework.json) as written, on every model size.
 */

import { quoted } from '../render/shorten';
import type { Method } from '../tasks/methods';
import { methodSpec } from '../tasks/methods';

export const LORA_TARGETS = ['all', 'attention', 'mlp'] as const;
export type LoraTargets = (typeof LORA_TARGETS)[number];
export const RANK_RULES = ['preset', 'scaled'] as const;
export type RankRule = (typeof RANK_RULES)[number];
export const MAX_RANK = 1024;
/** At most this many ranks in one sweep (each one multiplies the LoRA runs). */
export const MAX_SWEEP_RANKS = 5;

export interface LoraRequest {
  /** One rank for every LoRA run (absent: the preset, or the scaled rule). */
  rank?: number;
  alpha?: number;
  targets?: LoraTargets;
  /** Ranks to sweep, ascending; the best (learning rate, rank) is chosen on the validation split. */
  ranks?: number[];
  rankRule?: RankRule;
}

/** `ranks=4,16,64`: distinct whole numbers from 1 to MAX_RANK, at most MAX_SWEEP_RANKS of them. */
export function parseRanks(raw: string): { value?: number[]; error?: string } {
  const parts = raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const bad = parts.filter((p) => !/^\d+$/.test(p) || Number(p) < 1 || Number(p) > MAX_RANK);
  if (!parts.length || bad.length)
    return {
      error: `ranks: ${quoted(raw)} is not accepted; expected comma-separated whole numbers from 1 to ${MAX_RANK}, e.g. 4,16,64`,
    };
  const ranks = parts.map(Number);
  if (new Set(ranks).size !== ranks.length) return { error: 'ranks: a rank is listed twice' };
  if (ranks.length < 2)
    return { error: `ranks: a sweep needs at least two ranks (for one rank, use rank=${ranks[0]})` };
  if (ranks.length > MAX_SWEEP_RANKS)
    return { error: `ranks: at most ${MAX_SWEEP_RANKS} ranks per sweep, got ${ranks.length}` };
  return { value: [...ranks].sort((a, b) => a - b) };
}

/** Checks that combine several options; each message names the option and what is accepted. */
export function loraRequestErrors(lora: LoraRequest, methods: readonly Method[]): string[] {
  const errors: string[] = [];
  if (lora.rank !== undefined && lora.ranks)
    errors.push('ranks: give either rank=N (one rank) or ranks=a,b,c (a sweep), not both');
  if (lora.rankRule === 'scaled' && (lora.rank !== undefined || lora.ranks))
    errors.push('rank_rule: "scaled" derives the rank from the model width; leave out rank= and ranks=');
  // The defaults (all layers, the preset rule) are what a form sends when left alone: not "given".
  const given = Object.keys(lora).filter((k) => {
    const value = lora[k as keyof LoraRequest];
    return (
      value !== undefined &&
      !(k === 'targets' && value === 'all') &&
      !(k === 'rankRule' && value === 'preset')
    );
  });
  if (given.length && !methods.some((m) => methodSpec(m).adapter))
    errors.push(
      `${optionNames(given).join(', ')}: LoRA settings need a LoRA method in methods= (got ${methods.join(',')})`,
    );
  return errors;
}

const OPTION_NAMES: Record<keyof LoraRequest, string> = {
  rank: 'rank',
  alpha: 'alpha',
  targets: 'targets',
  ranks: 'ranks',
  rankRule: 'rank_rule',
};
const optionNames = (keys: string[]) => keys.map((k) => OPTION_NAMES[k as keyof LoraRequest] ?? k);

/** The ranks an adapter method's runs are planned with: the sweep, the one rank, or none (preset/rule). */
export function plannedRanks(lora: LoraRequest | undefined, method: Method): (number | undefined)[] {
  if (!methodSpec(method).adapter) return [undefined];
  if (lora?.ranks?.length) return lora.ranks;
  return [lora?.rank];
}

/** The trainer's `lora` object for a run planned with `rank`. */
export function trainerLora(
  lora: LoraRequest | undefined,
  rank: number | undefined,
): { r?: number; alpha?: number; target_modules?: string; rank_rule: RankRule } {
  const targets = lora?.targets === 'all' ? 'all-linear' : lora?.targets;
  return {
    ...(rank !== undefined ? { r: rank } : {}),
    ...(lora?.alpha !== undefined ? { alpha: lora.alpha } : {}),
    ...(targets ? { target_modules: targets } : {}),
    rank_rule: lora?.rankRule ?? 'preset',
  };
}

/** "rank 4/16/64 swept", "rank 8, alpha 16, attention only", "preset rank" ... for plan lines. */
export function describeLora(lora: LoraRequest | undefined): string {
  const parts = [
    lora?.ranks
      ? `ranks ${lora.ranks.join('/')} swept`
      : lora?.rank !== undefined
        ? `rank ${lora.rank}`
        : lora?.rankRule === 'scaled'
          ? 'rank scaled with model width (rank_rule=scaled)'
          : "the task preset's rank",
    lora?.alpha !== undefined ? `alpha ${lora.alpha}` : "alpha at the preset's alpha/rank ratio",
    `${lora?.targets === 'attention' ? 'attention' : lora?.targets === 'mlp' ? 'MLP' : 'all linear'} layers`,
  ];
  return `LoRA: ${parts.join(', ')}`;
}
