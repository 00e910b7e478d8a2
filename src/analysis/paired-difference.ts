import { excludesZero, MAX_SEEDS_SEARCHED, type SampleSummary, seedsNeeded, summarize } from './statistics';

export type MetricOutcome = 'full_better' | 'lora_better' | 'no_significant_difference';

export const OUTCOME_LABELS: Record<MetricOutcome, string> = {
  full_better: 'full fine-tuning better',
  lora_better: 'LoRA better',
  no_significant_difference: 'no significant difference at this sample size',
};

/** Full fine-tuning minus LoRA, paired by seed. */
export interface PairedDifference extends SampleSummary {
  /** Seeds present for both methods, ascending. */
  seeds: number[];
}

export interface MetricVerdict {
  outcome: MetricOutcome;
  /**
   * When the outcome is "no significant difference": seeds per method a paired comparison would
   * need to tell the methods apart (80% power), `Infinity` beyond the search limit, undefined when
   * it cannot be estimated (see `note`).
   */
  seedsNeeded?: number;
  /** One sentence explaining the verdict or why no estimate exists. */
  note: string;
}

/** Differences full - LoRA for the seeds both methods completed, summarised with a 95% t interval. */
export function pairedDifference(
  full: ReadonlyMap<number, number>,
  lora: ReadonlyMap<number, number>,
): PairedDifference {
  const seeds = [...full.keys()]
    .filter((seed) => lora.has(seed) && Number.isFinite(full.get(seed)) && Number.isFinite(lora.get(seed)))
    .sort((a, b) => a - b);
  const differences = seeds.map((seed) => (full.get(seed) as number) - (lora.get(seed) as number));
  return { ...summarize(differences), seeds };
}

/**
 * Full fine-tuning is better when the interval of (full - LoRA) lies entirely on the good side of
 * zero (above it when higher is better, below it for losses); LoRA is better when it lies
 * entirely on the other side; otherwise the runs cannot tell them apart.
 */
export function judgeDifference(difference: PairedDifference, higherIsBetter: boolean): MetricVerdict {
  const { n, mean, sd, ci } = difference;
  if (ci && excludesZero(ci) && mean !== undefined) {
    const fullAhead = higherIsBetter ? mean > 0 : mean < 0;
    return {
      outcome: fullAhead ? 'full_better' : 'lora_better',
      note: `the 95% interval of the paired difference over ${n} seeds excludes zero`,
    };
  }
  const outcome: MetricOutcome = 'no_significant_difference';
  if (n === 0) return { outcome, note: 'no seed completed with both methods' };
  if (n < 2) {
    return {
      outcome,
      note: 'only 1 seed completed with both methods: no interval, and the seeds needed cannot be estimated',
    };
  }
  if (mean === 0 && sd === 0) {
    return {
      outcome,
      note: `the methods scored the same on all ${n} seeds: more seeds would not separate them`,
    };
  }
  if (mean === 0)
    return { outcome, note: 'the mean difference is zero: the seeds needed cannot be estimated' };
  const needed = seedsNeeded(mean, sd);
  if (needed === undefined) return { outcome, note: 'the seeds needed cannot be estimated from these runs' };
  if (!Number.isFinite(needed)) {
    return {
      outcome,
      seedsNeeded: needed,
      note: `the observed difference is tiny next to its spread: more than ${MAX_SEEDS_SEARCHED} seeds would be needed`,
    };
  }
  return {
    outcome,
    seedsNeeded: needed,
    note: `about ${needed} seeds per method would be needed to detect a difference this large (80% power), if it is real`,
  };
}
