/**
 * A comparison job's change as one SQL statement (a data-modifying WITH): the runs' last results,
 * their learning curves, the job's state and the notices that report it. One statement commits
 * once: on a server that is one round trip and one flush to disk instead of one per write.
 */
import type { JobState, JobStateChange, MetricPoint, RunPatch, RunState } from './comparison-records.js';
import { Prisma } from './generated/client.js';
import { jsonText, sqlTime } from './json-values.js';
import { type NoticeInput, noticesAfter, type SubscriberNotices } from './outbox-repository.js';

/** A run's end written with its job's change: the patch applies only while the run is in `from`. */
export interface RunEnding {
  runId: string;
  patch: RunPatch;
  from: readonly RunState[];
  /** Its learning curves: stored whether or not the run was still open (a point stored is kept). */
  points?: readonly MetricPoint[];
}

export interface JobChange {
  id: string;
  state: JobState;
  change: JobStateChange;
  notices?: readonly NoticeInput[];
  subscribers?: SubscriberNotices;
  /** The job changes only when every one of these runs was changed too. */
  runs?: readonly RunEnding[];
  /** When the change happens: the changed runs' `updatedAt` (default: now). */
  at?: Date;
}

/** What the statement changed: the job (or not) and the runs it ended. */
export interface JobChangeResult {
  changed: boolean;
  runs: string[];
}

const inStates = (states: readonly string[]) =>
  Prisma.sql`"state"::text IN (${Prisma.join(states.length ? states : [''])})`;

function jobSets(state: JobState, change: JobStateChange): Prisma.Sql[] {
  const sets = [Prisma.sql`"state" = ${state}::"ComparisonJobState"`];
  if (change.error !== undefined) sets.push(Prisma.sql`"error" = ${change.error}`);
  if (change.summary !== undefined)
    sets.push(Prisma.sql`"summary" = ${jsonText(change.summary, 'job summary')}::jsonb`);
  if (change.startedAt !== undefined) sets.push(Prisma.sql`"startedAt" = ${sqlTime(change.startedAt)}`);
  if (change.finishedAt !== undefined) sets.push(Prisma.sql`"finishedAt" = ${sqlTime(change.finishedAt)}`);
  if (change.announced) sets.push(Prisma.sql`"announcedAt" = ${sqlTime(change.finishedAt ?? new Date())}`);
  return sets;
}

function runSets(patch: RunPatch, now: Date): Prisma.Sql[] {
  const sets = [Prisma.sql`"updatedAt" = ${sqlTime(now)}`];
  const json = (column: string, value: unknown, what: string) => {
    if (value !== undefined)
      sets.push(Prisma.sql`${Prisma.raw(`"${column}"`)} = ${jsonText(value, what)}::jsonb`);
  };
  if (patch.state !== undefined) sets.push(Prisma.sql`"state" = ${patch.state}::"ComparisonRunState"`);
  if (typeof patch.attempts === 'number') sets.push(Prisma.sql`"attempts" = ${patch.attempts}`);
  else if (patch.attempts) sets.push(Prisma.sql`"attempts" = "attempts" + ${patch.attempts.increment}`);
  json('progress', patch.progress, 'run progress');
  json('summary', patch.summary, 'run summary');
  json('error', patch.error, 'run error');
  if (patch.artifactPath !== undefined) sets.push(Prisma.sql`"artifactPath" = ${patch.artifactPath}`);
  if (patch.queueJobId !== undefined) sets.push(Prisma.sql`"queueJobId" = ${patch.queueJobId}`);
  if (patch.startedAt !== undefined) sets.push(Prisma.sql`"startedAt" = ${sqlTime(patch.startedAt)}`);
  if (patch.finishedAt !== undefined) sets.push(Prisma.sql`"finishedAt" = ${sqlTime(patch.finishedAt)}`);
  return sets;
}

/**
 * The points as one JSON parameter (however many there are); values as text, so that NaN and
 * ±Infinity (a diverged run) are stored as such.
 */
function insertPoints(runId: string, points: readonly MetricPoint[]): Prisma.Sql {
  for (const p of points) {
    if (!Number.isInteger(p.step)) throw new RangeError(`metric step must be an integer, got ${p.step}`);
  }
  const rows = JSON.stringify(
    points.map((p) => ({ series: p.series, step: p.step, value: String(p.value) })),
  );
  return Prisma.sql`
    INSERT INTO "RunMetricPoint" ("runId", "series", "step", "value")
    SELECT ${runId}, p."series", p."step", p."value"::double precision
    FROM jsonb_to_recordset(${rows}::jsonb) AS p("series" text, "step" int, "value" text)
    ON CONFLICT DO NOTHING`;
}

/** The statement; its one row says whether the job changed and which runs it ended. */
export function jobChangeStatement(input: JobChange): Prisma.Sql {
  const runs = input.runs ?? [];
  const now = input.at ?? new Date();
  if (new Set(runs.map((r) => r.runId)).size !== runs.length)
    throw new RangeError('a run can be ended once per statement');
  const parts: Prisma.Sql[] = [];
  runs.forEach((run, i) => {
    parts.push(Prisma.sql`${Prisma.raw(`r${i}`)} AS (
      UPDATE "ComparisonRun" SET ${Prisma.join(runSets(run.patch, now))}
      WHERE "id" = ${run.runId} AND ${inStates(run.from)} RETURNING "id")`);
    if (run.points?.length)
      parts.push(Prisma.sql`${Prisma.raw(`p${i}`)} AS (${insertPoints(run.runId, run.points)})`);
  });
  const ended = runs.length
    ? Prisma.sql`SELECT "id" FROM ${Prisma.raw(runs.map((_, i) => `r${i}`).join(' UNION ALL SELECT "id" FROM '))}`
    : Prisma.sql`SELECT NULL::text AS "id" WHERE false`;
  parts.push(Prisma.sql`ended_runs AS (${ended})`);
  const { change } = input;
  parts.push(Prisma.sql`changed AS (
    UPDATE "ComparisonJob" SET ${Prisma.join(jobSets(input.state, change))}
    WHERE "id" = ${input.id}${change.from ? Prisma.sql` AND ${inStates(change.from)}` : Prisma.empty}
      AND (SELECT count(*) FROM ended_runs) = ${runs.length}
    RETURNING "id")`);
  return Prisma.sql`WITH ${Prisma.join(parts, ',\n')}${noticesAfter('changed', input.notices, input.subscribers)}
    SELECT (SELECT count(*)::int FROM changed) AS "changed",
           (SELECT coalesce(string_agg("id", ' '), '') FROM ended_runs) AS "runs"`;
}

/** The statement's row, read. */
export function jobChangeResult(rows: { changed: number; runs: string }[]): JobChangeResult {
  const row = rows[0];
  return { changed: row?.changed === 1, runs: row?.runs ? row.runs.split(' ') : [] };
}
