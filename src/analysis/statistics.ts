import jstat from 'jstat';

const { jStat } = jstat;

/** Confidence level of every interval this module reports. */
export const CONFIDENCE = 0.95;

export interface Interval {
  low: number;
  high: number;
}

/** Mean, spread and 95% interval of one quantity across seeds. */
export interface SampleSummary {
  /** Number of finite values (seeds). */
  n: number;
  mean: number | undefined;
  /** Sample standard deviation (n - 1); undefined below two values. */
  sd: number | undefined;
  /** Student t interval for the mean; undefined below two values (never a zero-width stand-in). */
  ci: Interval | undefined;
  /** Half the interval's width (the "±" figure); undefined with the interval. */
  halfWidth: number | undefined;
}

/** Two-sided Student t quantile for CONFIDENCE with `dof` degrees of freedom. */
export function tQuantile(dof: number, confidence = CONFIDENCE): number {
  return jStat.studentt.inv(1 - (1 - confidence) / 2, dof);
}

/** Summarises values across seeds: mean, sample sd and the Student t interval of the mean. */
export function summarize(values: readonly number[]): SampleSummary {
  const finite = values.filter((v) => Number.isFinite(v));
  const n = finite.length;
  if (n === 0) return { n, mean: undefined, sd: undefined, ci: undefined, halfWidth: undefined };
  const mean = jStat.mean(finite);
  if (n < 2) return { n, mean, sd: undefined, ci: undefined, halfWidth: undefined };
  const sd = jStat.stdev(finite, true);
  const halfWidth = (tQuantile(n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, ci: { low: mean - halfWidth, high: mean + halfWidth }, halfWidth };
}

/** The interval excludes zero. */
export function excludesZero(ci: Interval | undefined): boolean {
  return !!ci && (ci.low > 0 || ci.high < 0);
}

/** Largest number of seeds `seedsNeeded` searches before answering "more than this". */
export const MAX_SEEDS_SEARCHED = 1000;

/** Power the seed estimate aims for. */
export const TARGET_POWER = 0.8;

/**
 * Seeds (pairs) a paired comparison would need to detect a mean difference of `difference` with
 * standard deviation `sd` of the paired differences: the smallest n with
 * n >= ((t(1 - alpha/2, n - 1) + t(power, n - 1)) * sd / |difference|)^2, the usual t-based sample
 * size for a two-sided paired test at 95% and 80% power. A planning figure that assumes the
 * observed difference and spread are the true ones; returns `undefined` when it cannot be
 * estimated (no difference observed, no spread measurable) and `Infinity` past MAX_SEEDS_SEARCHED.
 */
export function seedsNeeded(difference: number | undefined, sd: number | undefined): number | undefined {
  if (difference === undefined || sd === undefined || !Number.isFinite(difference) || !Number.isFinite(sd))
    return undefined;
  if (difference === 0) return undefined;
  if (sd === 0) return 2;
  for (let n = 2; n <= MAX_SEEDS_SEARCHED; n++) {
    const dof = n - 1;
    const factor = ((tQuantile(dof) + jStat.studentt.inv(TARGET_POWER, dof)) * sd) / Math.abs(difference);
    if (n >= factor * factor) return n;
  }
  return Number.POSITIVE_INFINITY;
}
