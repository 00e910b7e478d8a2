import type { Reply, Table } from '../chat/replies';
import { formatAge, formatNumber, formatRate, formatSeconds, progressBar } from '../format/units';
import { asFailure, explainFailure } from './failures';
import type { ComparisonPlan } from './plan';
import { methodLabel } from './results-table';

export interface RunView {
  id: string;
  ordinal?: number;
  task: string;
  method: string;
  seed: number;
  learningRate: number;
  loraRank?: number | null;
  state: string;
  attempts: number;
  progress: unknown;
  error: unknown;
  startedAt: Date | null;
}

export interface JobView {
  id: string;
  state: string;
  requesterId: string;
  createdAt: Date;
  runs: RunView[];
  plan?: unknown;
}

interface ProgressData {
  phase?: string;
  evalDone?: number;
  evalTotal?: number;
  step?: number;
  total?: number;
  loss?: number;
  evalLoss?: number;
  /** The checkpoint step a retried run continued from. */
  resumedFrom?: number;
  updatedAt?: number;
}

const progressOf = (run: RunView) => (run.progress ?? {}) as ProgressData;

/** Steps this attempt has trained: a resumed run started at its checkpoint's step, not at 0. */
function stepsThisAttempt(p: ProgressData): number {
  return (p.step ?? 0) - (p.resumedFrom ?? 0);
}

/** Seconds left from the step rate so far; undefined before two points exist. */
export function etaSeconds(run: RunView, now: Date): number | undefined {
  const p = progressOf(run);
  const done = stepsThisAttempt(p);
  if (!run.startedAt || !p.step || !p.total || done <= 0) return undefined;
  const elapsed = (now.getTime() - run.startedAt.getTime()) / 1000;
  return (elapsed / done) * Math.max(0, p.total - p.step);
}

/** ", resumed from step N" for a run that continued from a checkpoint, else nothing. */
function resumedNote(p: ProgressData): string {
  return typeof p.resumedFrom === 'number' && p.resumedFrom > 0 ? `, resumed from step ${p.resumedFrom}` : '';
}

export function runLabel(run: RunView): string {
  const rank = typeof run.loraRank === 'number' ? ` r=${run.loraRank}` : '';
  // A combination run trains nothing: no learning rate to show.
  const rate = run.learningRate > 0 ? ` lr ${formatRate(run.learningRate)}` : '';
  return `${run.task} ${methodLabel(run.method)}${rank} seed ${run.seed}${rate}`;
}

export function runLine(run: RunView, now: Date): string {
  const p = progressOf(run);
  switch (run.state) {
    case 'running': {
      if (p.phase === 'evaluating' && p.evalTotal)
        return `${runLabel(run)}: evaluating ${progressBar(p.evalDone ?? 0, p.evalTotal)} test prompts, val loss ${formatNumber(p.evalLoss)}${resumedNote(p)}`;
      const eta = etaSeconds(run, now);
      const bar = p.total ? progressBar(p.step ?? 0, p.total) : 'starting';
      return `${runLabel(run)}: ${bar} loss ${formatNumber(p.loss)}${eta === undefined ? '' : `, ETA ${formatSeconds(eta)}`}${resumedNote(p)}${run.attempts > 1 ? ` (attempt ${run.attempts})` : ''}`;
    }
    case 'failed': {
      const failure = asFailure(run.error);
      return `${runLabel(run)}: failed. ${failure ? explainFailure(run.method, failure) : ''}`;
    }
    case 'completed':
      return `${runLabel(run)}: done, val loss ${formatNumber(p.evalLoss)}`;
    default:
      return `${runLabel(run)}: ${run.state}`;
  }
}

export function countsLine(runs: RunView[]): string {
  const count = (s: string) => runs.filter((r) => r.state === s).length;
  return `${count('completed')} done, ${count('running')} running, ${count('queued')} queued, ${count('failed')} failed, ${count('cancelled')} cancelled of ${runs.length}`;
}

/** Seconds per training step of each method, from this job's running runs (loading and validation included). */
function measuredStepSeconds(job: JobView, now: Date): Map<string, number> {
  const samples = new Map<string, number[]>();
  for (const run of job.runs) {
    const p = progressOf(run);
    const done = stepsThisAttempt(p);
    if (run.state !== 'running' || !run.startedAt || done <= 0 || p.phase === 'evaluating') continue;
    const perStep = (now.getTime() - run.startedAt.getTime()) / 1000 / done;
    if (Number.isFinite(perStep) && perStep > 0)
      samples.set(run.method, [...(samples.get(run.method) ?? []), perStep]);
  }
  return new Map([...samples].map(([m, v]) => [m, v.reduce((a, b) => a + b, 0) / v.length]));
}

/**
 * The device time a running comparison still needs, from its own measured steps: the running
 * runs' ETAs, and its queued runs and the runs later stages may add at the measured seconds per
 * step of their method. Test evaluation is not included (it is timed when it happens); undefined
 * before any step of the job is measured.
 */
export function remainingLine(job: JobView, now: Date): string | undefined {
  const plan = job.plan as Partial<ComparisonPlan> | null | undefined;
  const steps = plan?.maxSteps;
  if (!steps || (job.state !== 'queued' && job.state !== 'running')) return undefined;
  const rates = measuredStepSeconds(job, now);
  if (!rates.size) return undefined;
  const later = new Map<string, number>();
  for (const slot of plan?.upcoming ?? []) later.set(slot.method, (later.get(slot.method) ?? 0) + 1);
  for (const run of plan?.runs ?? []) later.set(run.method, (later.get(run.method) ?? 0) + 1);
  for (const run of job.runs) later.set(run.method, (later.get(run.method) ?? 0) - 1);
  let seconds = 0;
  let unmeasured = 0;
  for (const run of job.runs) {
    if (run.state === 'running') seconds += etaSeconds(run, now) ?? 0;
    else if (run.state === 'queued') {
      const rate = rates.get(run.method);
      if (rate === undefined) unmeasured += 1;
      else seconds += rate * steps;
    }
  }
  for (const [method, count] of later) {
    if (count <= 0) continue;
    const rate = rates.get(method);
    if (rate === undefined) unmeasured += count;
    else seconds += rate * steps * count;
  }
  const perStep = [...rates].map(([m, s]) => `${methodLabel(m)} ~${formatNumber(s, 1)} s/step`).join(', ');
  return (
    `Device time left: about ${formatSeconds(seconds)}, estimated from this job's measured steps (${perStep}); ` +
    `test evaluation not included${unmeasured ? `; ${unmeasured} run(s) of a method not measured yet not counted` : ''}.`
  );
}

/** The progress message of a running comparison (replaced in place, throttled by the caller). */
export function progressReply(job: JobView, now: Date): Reply {
  const active = job.runs.filter((r) => r.state === 'running');
  const left = remainingLine(job, now);
  return {
    text: [
      `*Comparison ${job.id}*: ${countsLine(job.runs)}`,
      ...active.map((r) => `- ${runLine(r, now)}`),
      ...(left ? [left] : []),
    ].join('\n'),
    key: `progress:${job.id}`,
    replaceKey: `progress:${job.id}`,
  };
}

/** Where a staged comparison stands: how many of its planned runs the stages so far have added. */
export function stagesLine(job: JobView): string | undefined {
  const plan = job.plan as Partial<ComparisonPlan> | null | undefined;
  if (!plan?.staging) return undefined;
  const planned = (plan.runs?.length ?? 0) + (plan.upcoming?.length ?? 0);
  const kind =
    plan.staging.kind === 'hybrid'
      ? `hybrid plan, target ${plan.staging.target}: full fine-tuning runs only if LoRA misses it`
      : plan.staging.kind === 'combine'
        ? "skill adapters and multi-task runs, then combinations of each seed's skill adapters"
        : 'learning-rate sweep on seed 0, one widening of an edge at most, then the chosen rates on the other seeds';
  const open = job.state === 'queued' || job.state === 'running';
  return `Staged (${kind}): ${job.runs.length} of up to ${planned} planned runs added${open ? '; the next stage is added when these end' : ''}.`;
}

export function statusReply(job: JobView, now: Date): Reply {
  const stages = stagesLine(job);
  const left = remainingLine(job, now);
  return {
    text: `*Comparison ${job.id}*: ${job.state}, requested by ${job.requesterId} ${formatAge(job.createdAt, now)}\n${countsLine(job.runs)}${stages ? `\n${stages}` : ''}${left ? `\n${left}` : ''}`,
    tables: [
      {
        title: 'Runs',
        columns: [{ header: 'Run' }, { header: 'State' }, { header: 'Progress' }],
        rows: job.runs.map((r) => [runLabel(r), r.state, runLine(r, now).slice(runLabel(r).length + 2)]),
      },
    ],
  };
}

export function jobsTable(jobs: JobView[], now: Date): Table {
  return {
    title: 'Recent comparison jobs',
    columns: [
      { header: 'Id' },
      { header: 'State' },
      { header: 'Progress' },
      { header: 'Requester' },
      { header: 'Age', align: 'right' },
    ],
    rows: jobs.map((j) => {
      const done = j.runs.filter((r) => ['completed', 'failed', 'cancelled'].includes(r.state)).length;
      return [
        j.id,
        j.state,
        `${done}/${j.runs.length} runs ended`,
        j.requesterId,
        formatAge(j.createdAt, now),
      ];
    }),
  };
}
