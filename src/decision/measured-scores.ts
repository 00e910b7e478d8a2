/**
 * The framework's criteria scored from a comparison's measurements instead of its fixed 1-10
 * table. Each score is 10 for the better method on that measurement and less for the other, by a
 * rule stated beside it:
 * - performance: the better method 10, the other 10 x its share of the better one's primary metric;
 * - speed: the faster method 10, the other 10 x (faster wall time / its wall time);
 * - budget: the cheaper method 10, the other 10 x (cheaper / its compute cost), and a method whose
 *   compute cost exceeds the stated budget at most 1;
 * - flexibility: the smaller saved artifact 10, the other 10 - 2.5 x log10(size ratio), at least 1
 *   (a 10x larger checkpoint scores 7.5, 100x 5);
 * - maintenance: the same rule on artifact sizes, averaged with the same rule on the measured time
 *   to switch a deployment (swap the adapter on a loaded base vs load the full checkpoint) when the
 *   comparison measured it.
 */
import { formatBytes, formatDuration, formatSeconds } from '../format/units';
import { formatUsd } from '../parsing/money';
import type { Answers } from './answers';
import type { MeasuredEvidence } from './evidence';
import type { Criterion } from './scoring';

export interface MeasuredScore {
  lora: number;
  full: number;
  /** What was measured and how it became the scores, one line. */
  basis: string;
}

export type MeasuredScores = Partial<Record<Criterion, MeasuredScore>>;

const clamp = (value: number) => Math.min(10, Math.max(0, value));
const round = (value: number) => Math.round(value * 10) / 10;
export const percent = (share: number) => `${(share * 100).toFixed(0)}%`;

/** Higher is better: the larger value scores 10, the smaller 10 x its ratio to the larger. */
function relative(lora: number, full: number): { lora: number; full: number } {
  const top = Math.max(lora, full);
  return { lora: round(clamp((10 * lora) / top)), full: round(clamp((10 * full) / top)) };
}

/** Lower is better (time, cost): the smaller value scores 10, the larger 10 x smaller / larger. */
function inverse(lora: number, full: number): { lora: number; full: number } {
  const low = Math.min(lora, full);
  return { lora: round(clamp((10 * low) / lora)), full: round(clamp((10 * low) / full)) };
}

/** Sizes: the smaller scores 10, the larger 10 - 2.5 x log10(ratio), at least 1. */
function bySize(lora: number, full: number): { lora: number; full: number } {
  const low = Math.min(lora, full);
  const score = (size: number) => round(Math.max(1, 10 - 2.5 * Math.log10(size / low)));
  return { lora: score(lora), full: score(full) };
}

/** Switch times below this are read as this: timer resolution, not a real difference. */
const MIN_SECONDS = 0.001;

const finite = (...values: number[]) => values.every((v) => Number.isFinite(v) && v > 0);

export function measuredScores(evidence: MeasuredEvidence, answers: Answers): MeasuredScores {
  const out: MeasuredScores = {};
  const source = `job ${evidence.jobId}`;
  const share = evidence.share.mean;
  if (share !== undefined && share >= 0) {
    const half = evidence.share.halfWidth;
    out.performance = {
      ...relative(share, 1),
      basis: `measured (${source}): LoRA reached ${percent(share)}${half !== undefined ? ` ± ${percent(half)}` : ''} of full fine-tuning's ${evidence.metric} over ${evidence.seeds} paired seed${evidence.seeds === 1 ? '' : 's'}`,
    };
  }
  const time = evidence.wallSeconds;
  if (finite(time.lora, time.full)) {
    out.speed = {
      ...inverse(time.lora, time.full),
      basis: `measured (${source}): wall time per run LoRA ${formatSeconds(time.lora)}, full fine-tuning ${formatSeconds(time.full)}`,
    };
  }
  const cost = evidence.computeUsd;
  if (finite(cost.lora, cost.full)) {
    const scores = inverse(cost.lora, cost.full);
    const budget = answers.budget?.usd;
    const capped = (score: number, usd: number) =>
      budget !== undefined && usd > budget ? Math.min(score, 1) : score;
    out.budget = {
      lora: capped(scores.lora, cost.lora),
      full: capped(scores.full, cost.full),
      basis: `computed (${source}): measured device-hours x ${evidence.ratesSource}: LoRA ${formatUsd(cost.lora)}, full fine-tuning ${formatUsd(cost.full)} per run${budget !== undefined ? `, against your ${formatUsd(budget, 0)}` : ''}`,
    };
  }
  const bytes = evidence.artifactBytes;
  if (finite(bytes.lora, bytes.full)) {
    const sizes = `saved adapter ${formatBytes(bytes.lora)} vs full checkpoint ${formatBytes(bytes.full)} (${(bytes.full / bytes.lora).toFixed(0)}x)`;
    out.flexibility = {
      ...bySize(bytes.lora, bytes.full),
      basis: `measured (${source}): ${sizes}, per task variant`,
    };
    const switching = evidence.switchSeconds;
    if (switching && Number.isFinite(switching.lora) && Number.isFinite(switching.full)) {
      const bySizes = bySize(bytes.lora, bytes.full);
      const byTime = bySize(Math.max(switching.lora, MIN_SECONDS), Math.max(switching.full, MIN_SECONDS));
      out.maintenance = {
        lora: round((bySizes.lora + byTime.lora) / 2),
        full: round((bySizes.full + byTime.full) / 2),
        basis: `measured (${source}): ${sizes} to store and ship; switching a deployment took ${formatDuration(switching.lora)} to swap the adapter on a loaded base vs ${formatDuration(switching.full)} to load the full checkpoint`,
      };
    } else {
      out.maintenance = {
        ...bySize(bytes.lora, bytes.full),
        basis: `measured (${source}): ${sizes} to store, ship and roll back; swap and load times not measured`,
      };
    }
  }
  return out;
}
