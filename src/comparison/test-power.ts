/**
 * What a suite's test set can tell apart, and which metrics a reader must not take at face value:
 * the primary metric's standard error over test items, the smallest difference between the two
 * methods detectable at 80% power, and the trainer's flags (degenerate output, consistency not
 * computable).
 */
import { type Arm, meanOf } from '../analysis/arms';
import { formatNumber } from '../format/units';
import { methodLabel } from './results-table-labels';

/** z(0.975) + z(0.80): a two-sided test at the 5% level with 80% power. */
export const POWER_80_Z = 1.959964 + 0.841621;

/** Smallest true difference detectable at 80% power between two estimates with these standard errors. */
export function detectableDifference(stderrA: number, stderrB: number): number {
  return POWER_80_Z * Math.sqrt(stderrA ** 2 + stderrB ** 2);
}

function stderrOf(arm: Arm | undefined): number | undefined {
  if (!arm) return undefined;
  const metric = arm.runs.find((r) => r.primary_metric)?.primary_metric;
  if (!metric) return undefined;
  // Over seeds the mean's item-level standard error shrinks by sqrt(seeds) at most; quote one run's.
  return meanOf(arm.runs, (r) => r.metrics[`${metric}_stderr`] ?? r.primary_metric_stderr);
}

/** One line per task: test items, the primary metric's standard error and the detectable difference. */
export function testPowerNotes(arms: Arm[]): string[] {
  const tasks = [...new Set(arms.map((a) => a.task))];
  const notes: string[] = [];
  for (const task of tasks) {
    const lora = arms.find((a) => a.task === task && a.method === 'lora');
    const full = arms.find((a) => a.task === task && a.method === 'full');
    const any = (lora ?? full)?.runs[0];
    const items = any?.test_items;
    const metric = any?.primary_metric;
    const seL = stderrOf(lora);
    const seF = stderrOf(full);
    if (!items || !metric || seL === undefined || seF === undefined) continue;
    const worst = Math.sqrt(0.25 / items);
    const measured =
      seL > 0 || seF > 0
        ? `smallest difference detectable at 80% power (two-sided, 5%): ${formatNumber(detectableDifference(seL, seF))} (computed: 2.80 x sqrt(se_LoRA² + se_full²))`
        : 'every test item scored the same in both methods, so the spread gives no detectable difference';
    notes.push(
      `${task} test set: ${items} items; ${metric} standard error ±${formatNumber(seL)} (LoRA), ±${formatNumber(seF)} (full) per run, measured over items; ` +
        `${measured}; for a 0-1 score at its least precise (p = 0.5) it is ${formatNumber(detectableDifference(worst, worst))}.`,
    );
  }
  return notes;
}

/** The trainer's flags on the chosen runs' metrics (degenerate output, consistency not computed). */
export function metricFlagNotes(arms: Arm[]): string[] {
  const notes: string[] = [];
  for (const arm of arms) {
    const flags = new Map<string, string>();
    for (const run of arm.runs) for (const [k, v] of Object.entries(run.metric_flags ?? {})) flags.set(k, v);
    for (const [metric, why] of flags)
      notes.push(`${arm.task} ${methodLabel(arm.method)} ${metric}: ${why}.`);
  }
  return notes;
}
