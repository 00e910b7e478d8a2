/**
 * Iteration velocity, from measured run and queue times: how many experiments one device can run
 * in a month (device busy with training and evaluation only) and how long a team waits for one
 * result (queue wait plus run time), per method.
 */
import type { Table } from '../chat/replies';
import { formatSeconds } from '../format/units';
import type { RunLike } from './run-summary';
import { summaryOf, validationOnly } from './run-summary';

/** A month as the cost model counts it: 30 days of 24 hours. */
export const DEVICE_MONTH_SECONDS = 30 * 24 * 3600;

export interface TimedRun extends RunLike {
  startedAt?: Date | null;
}

export interface MethodVelocity {
  method: string;
  runs: number;
  runSeconds: number;
  /** Mean time from the job's dispatch to the run's start; undefined without timestamps. */
  queueSeconds: number | undefined;
  experimentsPerDeviceMonth: number;
  turnaroundSeconds: number | undefined;
}

const mean = (values: number[]) =>
  values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;

/**
 * Velocity per method over every completed run of a job (the sweep's runs count too, except points
 * measured on the validation split only: without a test evaluation they are not whole experiments).
 */
export function iterationVelocity(runs: readonly TimedRun[], dispatchedAt?: Date): MethodVelocity[] {
  const methods = [...new Set(runs.map((r) => r.method))];
  return methods.flatMap((method): MethodVelocity[] => {
    const done = runs.filter((r) => r.method === method && r.state === 'completed' && !validationOnly(r));
    const walls = done.flatMap((r) => {
      const s = summaryOf(r);
      return s ? [s.wall_time_s] : [];
    });
    const runSeconds = mean(walls);
    if (runSeconds === undefined || runSeconds <= 0) return [];
    const waits = dispatchedAt
      ? done.flatMap((r) =>
          r.startedAt ? [Math.max(0, (r.startedAt.getTime() - dispatchedAt.getTime()) / 1000)] : [],
        )
      : [];
    const queueSeconds = mean(waits);
    return [
      {
        method,
        runs: walls.length,
        runSeconds,
        queueSeconds,
        experimentsPerDeviceMonth: DEVICE_MONTH_SECONDS / runSeconds,
        turnaroundSeconds: queueSeconds === undefined ? undefined : queueSeconds + runSeconds,
      },
    ];
  });
}

const LABELS: Record<string, string> = { lora: 'LoRA', full: 'Full FT' };

export function velocityTable(rows: readonly MethodVelocity[]): Table {
  return {
    title: 'Iteration velocity, from measured run and queue times',
    columns: [
      { header: 'Method' },
      { header: 'Runs', align: 'right' },
      { header: 'Run time (mean)', align: 'right' },
      { header: 'Queue wait (mean)', align: 'right' },
      { header: 'Experiments per device-month', align: 'right' },
      { header: 'Wait for one result', align: 'right' },
    ],
    rows: rows.map((r) => [
      LABELS[r.method] ?? r.method,
      String(r.runs),
      formatSeconds(r.runSeconds),
      r.queueSeconds === undefined ? '-' : formatSeconds(r.queueSeconds),
      r.experimentsPerDeviceMonth.toFixed(0),
      r.turnaroundSeconds === undefined ? '-' : formatSeconds(r.turnaroundSeconds),
    ]),
    notes: [
      'Experiments per device-month: 30 days x 24 h divided by the measured run time (training and evaluation), one run at a time per device.',
      "Queue wait: from the comparison's dispatch to the run's start, measured here; it includes waiting for this comparison's own earlier runs.",
    ],
  };
}
