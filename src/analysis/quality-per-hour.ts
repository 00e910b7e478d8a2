/**
 * Quality per device-hour: the plateau, measured in the task's own metric. The trainer scores the
 * primary metric on a fixed subset of the test split at every evaluation point; here each method's
 * curve (mean over its chosen runs' seeds, per step) is placed on training device-hours, and the
 * hours each method needed to reach 90%, 95% and 98% of its own final score and of the better
 * method's final score are read off it.
 */
import type { Table } from '../chat/replies';
import type { RunSummary } from './run-summary';
import type { TaskAnalysis } from './task-analysis';

export const QUALITY_SHARES = [0.9, 0.95, 0.98] as const;

export interface QualityPoint {
  step: number;
  /** Training device-hours so far (evaluation excluded), mean over seeds. */
  hours: number;
  metric: number;
}

export interface MethodQuality {
  method: 'lora' | 'full';
  seeds: number;
  curve: QualityPoint[];
  final: number;
  /** Hours to reach each share of this method's own final score (undefined: never). */
  toOwn: (number | undefined)[];
  /** Hours to reach each share of the better method's final score (undefined: never reached). */
  toBest: (number | undefined)[];
}

export interface TaskQuality {
  task: string;
  metric: string;
  items: number;
  hoursKind: 'GPU-hours' | 'device-hours (CPU)';
  methods: MethodQuality[];
  best: number;
}

interface RawPoint {
  step: number;
  train_seconds: number;
  metric: number;
}

function curveOf(run: RunSummary): RawPoint[] {
  const curve = (run as RunSummary & { quality_curve?: RawPoint[] }).quality_curve;
  return Array.isArray(curve) ? curve.filter((p) => Number.isFinite(p.metric)) : [];
}

/** Devices a run used: GPUs on GPU runs, one device on CPU. */
function devices(run: RunSummary): number {
  const gpus = (run as RunSummary & { gpus?: number }).gpus;
  return run.gpu_hours > 0 && gpus && gpus > 0 ? gpus : 1;
}

function meanCurve(runs: readonly RunSummary[]): QualityPoint[] | undefined {
  const curves = runs.map(curveOf);
  if (!curves.length || curves.some((c) => !c.length)) return undefined;
  const steps = (curves[0] ?? [])
    .map((p) => p.step)
    .filter((s) => curves.every((c) => c.some((p) => p.step === s)));
  return steps.map((step) => {
    const at = curves.map((c, i) => ({ point: c.find((p) => p.step === step) as RawPoint, run: runs[i] }));
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    return {
      step,
      hours: mean(at.map(({ point, run }) => (point.train_seconds * devices(run as RunSummary)) / 3600)),
      metric: mean(at.map(({ point }) => point.metric)),
    };
  });
}

function hoursTo(curve: readonly QualityPoint[], target: number): number | undefined {
  return curve.find((p) => p.metric >= target - 1e-12)?.hours;
}

/** Undefined unless both methods' chosen runs recorded a quality curve. */
export function qualityPerHour(task: TaskAnalysis): TaskQuality | undefined {
  const primary = task.primary;
  if (primary?.metric.kind !== 'task' || !primary.metric.higherIsBetter) return undefined;
  const methods: MethodQuality[] = [];
  for (const method of ['lora', 'full'] as const) {
    const runs = task[method]?.runs ?? [];
    const curve = meanCurve(runs);
    const last = curve?.at(-1);
    if (!curve || !last) continue;
    methods.push({ method, seeds: runs.length, curve, final: last.metric, toOwn: [], toBest: [] });
  }
  if (methods.length < 2) return undefined;
  const best = Math.max(...methods.map((m) => m.final));
  for (const m of methods) {
    m.toOwn = QUALITY_SHARES.map((share) => (m.final > 0 ? hoursTo(m.curve, share * m.final) : undefined));
    m.toBest = QUALITY_SHARES.map((share) => (best > 0 ? hoursTo(m.curve, share * best) : undefined));
  }
  const runs = [...(task.lora?.runs ?? []), ...(task.full?.runs ?? [])];
  const items = Math.max(
    ...runs.map((r) => (r as RunSummary & { quality_curve_items?: number }).quality_curve_items ?? 0),
  );
  return {
    task: task.task,
    metric: primary.metric.label,
    items,
    hoursKind: runs.some((r) => r.gpu_hours > 0) ? 'GPU-hours' : 'device-hours (CPU)',
    methods,
    best,
  };
}

export function formatHoursShort(hours: number | undefined): string {
  if (hours === undefined) return 'not reached';
  const seconds = hours * 3600;
  if (seconds < 60) return `${hours.toExponential(1)} h (${seconds.toFixed(1)} s)`;
  return hours < 0.1 ? `${hours.toFixed(4)} h` : `${hours.toFixed(2)} h`;
}

const LABELS = { lora: 'LoRA', full: 'Full FT' } as const;

export function qualityPerHourTable(q: TaskQuality): Table {
  const pct = (s: number) => `${Math.round(s * 100)}%`;
  return {
    title: `${q.task}: quality per ${q.hoursKind}, measured (${q.metric} on ${q.items} fixed test items at each evaluation point)`,
    columns: [
      { header: 'Method' },
      { header: 'Final score', align: 'right' },
      ...QUALITY_SHARES.map((s) => ({ header: `to ${pct(s)} of own`, align: 'right' as const })),
      ...QUALITY_SHARES.map((s) => ({ header: `to ${pct(s)} of best`, align: 'right' as const })),
    ],
    rows: q.methods.map((m) => [
      `${LABELS[m.method]} (${m.seeds} seed${m.seeds === 1 ? '' : 's'})`,
      m.final.toFixed(3),
      ...m.toOwn.map(formatHoursShort),
      ...m.toBest.map(formatHoursShort),
    ]),
    notes: [
      `Hours are training ${q.hoursKind} up to the first evaluation point at or above the target (evaluation time excluded), mean over seeds; the resolution is the evaluation interval.`,
      `"Best" is the higher of the two final scores (${q.best.toFixed(3)}); the scores are on a subset of the test split, so they differ from the full-split table.`,
    ],
  };
}
