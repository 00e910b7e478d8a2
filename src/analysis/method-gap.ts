import { type Interval, summarize, tQuantile } from './statistics';
import type { MetricComparison } from './task-analysis';
import { formatRatio } from './uncertainty-format';

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** full / LoRA of one resource, paired by seed: the geometric mean of the per-seed ratios with its 95% interval. */
export interface PairedRatio {
  /** Seeds with both methods measured. */
  n: number;
  ratio: number | undefined;
  /** exp of the t interval of the mean log ratio; undefined below two seeds. */
  ci: Interval | undefined;
}

/** [numerator, denominator] pairs (one per seed) as a geometric-mean ratio with the t interval of the mean log ratio. */
export function ratioOfPairs(
  pairs: readonly (readonly [number | undefined, number | undefined])[],
): PairedRatio {
  const logs = pairs
    .filter(([a, b]) => finite(a) && finite(b) && (a as number) > 0 && (b as number) > 0)
    .map(([a, b]) => Math.log((a as number) / (b as number)));
  const s = summarize(logs);
  if (s.mean === undefined) return { n: 0, ratio: undefined, ci: undefined };
  const ci =
    s.sd !== undefined && s.n > 1
      ? (() => {
          const half = (tQuantile(s.n - 1) * s.sd) / Math.sqrt(s.n);
          return { low: Math.exp(s.mean - half), high: Math.exp(s.mean + half) };
        })()
      : undefined;
  return { n: s.n, ratio: Math.exp(s.mean), ci };
}

/** Full fine-tuning's advantage on the primary metric: full - LoRA, negated where lower is better. */
export function fullAdvantage(row: { primary: MetricComparison | undefined }): number | undefined {
  const gap = row.primary?.difference.mean;
  if (!finite(gap)) return undefined;
  return row.primary?.metric.higherIsBetter ? gap : -gap;
}

/** "2.31x (1.90-2.81x)": the paired ratio with its 95% interval; "2.31x (1 seed)" without one. */
export function formatPairedRatio(r: PairedRatio): string {
  if (r.ratio === undefined) return '-';
  if (!r.ci) return `${formatRatio(r.ratio)} (${r.n} seed${r.n === 1 ? '' : 's'})`;
  return `${formatRatio(r.ratio)} (${formatRatio(r.ci.low).replace(/x$/, '')}-${formatRatio(r.ci.high)})`;
}
