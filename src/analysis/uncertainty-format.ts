import { formatBytes, formatCount, formatSeconds } from '../format/units';
import type { EfficiencyUnit } from './efficiency';
import type { MetricVerdict } from './paired-difference';
import type { SampleSummary } from './statistics';

const fixed = (value: number, digits: number) => (Object.is(value, -0) ? 0 : value).toFixed(digits);
const signed = (value: number, digits: number) =>
  `${value > 0 ? '+' : value < 0 ? '-' : ''}${fixed(Math.abs(value), digits)}`;
const seedsText = (n: number) => `${n} seed${n === 1 ? '' : 's'}`;

/**
 * Mean with the half-width of its 95% interval: "0.412 ± 0.018"; a single seed has no interval:
 * "0.412 ± n/a (1 seed)"; no value at all: "-".
 */
export function formatEstimate(summary: SampleSummary, digits = 3, unit = ''): string {
  const suffix = unit ? ` ${unit}` : '';
  if (summary.mean === undefined) return '-';
  if (summary.halfWidth === undefined)
    return `${fixed(summary.mean, digits)}${suffix} ± n/a (${seedsText(summary.n)})`;
  return `${fixed(summary.mean, digits)} ± ${fixed(summary.halfWidth, digits)}${suffix}`;
}

/** A signed difference with its interval: "+0.031 ± 0.035", "-0.200 ± n/a (1 seed)". */
export function formatDifference(summary: SampleSummary, digits = 3): string {
  if (summary.mean === undefined) return '-';
  if (summary.halfWidth === undefined)
    return `${signed(summary.mean, digits)} ± n/a (${seedsText(summary.n)})`;
  return `${signed(summary.mean, digits)} ± ${fixed(summary.halfWidth, digits)}`;
}

/** "12.3x"; "-" when undefined. */
export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '-';
  return `${ratio >= 100 ? ratio.toFixed(0) : ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}x`;
}

/** US dollars, with significant digits for amounts under a cent: "$1,234.50", "$0.000412". */
export function formatDollars(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (abs > 0 && abs < 0.01) return `${sign}$${abs.toPrecision(3)}`;
  return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A measured quantity in its unit: seconds, bytes (KB, MB, ...) or a parameter count. */
export function formatQuantity(value: number | undefined, unit: EfficiencyUnit): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  if (unit === 'seconds') return formatSeconds(value);
  if (unit === 'bytes') return formatBytes(value);
  return `${formatCount(value)} params`;
}

/** A measured quantity with its spread across runs: "12.4 s ± 1.1 s", "4.9k ± n/a (1 seed)". */
export function formatQuantityEstimate(summary: SampleSummary, unit: EfficiencyUnit): string {
  if (summary.mean === undefined) return '-';
  const value = formatQuantity(summary.mean, unit);
  if (summary.halfWidth === undefined) return `${value} ± n/a (${seedsText(summary.n)})`;
  if (summary.halfWidth === 0) return value;
  return `${value} ± ${formatQuantity(summary.halfWidth, unit)}`;
}

/** Hours with enough digits for short CPU runs: "0.0123 h". */
export function formatHours(hours: number | undefined): string {
  if (hours === undefined || !Number.isFinite(hours)) return '-';
  return `${hours >= 10 ? hours.toFixed(1) : hours.toPrecision(3)} h`;
}

/** The verdict in a table cell; `difference` is the paired difference it was decided on. */
export function formatVerdict(verdict: MetricVerdict, difference: SampleSummary): string {
  if (verdict.outcome === 'full_better') return 'Full FT better';
  if (verdict.outcome === 'lora_better') return 'LoRA better';
  if (difference.n < 2) return `not significant (n/a: ${seedsText(difference.n)})`;
  if (difference.mean === 0 && difference.sd === 0) return 'not significant (identical on every seed)';
  if (verdict.seedsNeeded === undefined) return 'not significant (no estimate)';
  if (!Number.isFinite(verdict.seedsNeeded)) return 'not significant (need >1000 seeds)';
  return `not significant (need ~${verdict.seedsNeeded} seeds)`;
}
