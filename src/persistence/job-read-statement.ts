/**
 * A comparison job with its runs in one query: the runs come as one JSON array column, which this
 * turns back into the records Prisma's client returns (times as Dates, floats as numbers).
 */
import type { ComparisonJobRecord, ComparisonRunRecord } from './comparison-records.js';
import { Prisma } from './generated/client.js';

/** The job's columns, typed by the client; the runs in plan order as JSON. */
export function jobReadStatement(jobId: string): Prisma.Sql {
  return Prisma.sql`SELECT j.*, COALESCE((SELECT json_agg(r ORDER BY r."ordinal") FROM "ComparisonRun" r WHERE r."jobId" = j."id"), '[]'::json) AS "runs" FROM "ComparisonJob" j WHERE j."id" = ${jobId}`;
}

type JsonRun = Omit<ComparisonRunRecord, 'startedAt' | 'finishedAt' | 'updatedAt' | 'learningRate'> & {
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  /** A number, or "NaN" / "Infinity" / "-Infinity" as JSON writes those floats. */
  learningRate: number | string;
};

type JobRow = Omit<ComparisonJobRecord, 'runs'> & { runs: JsonRun[] | string };

/** The one row (or none) that `jobReadStatement` returned, as the record `getById` returns. */
export function jobFromRow(rows: readonly JobRow[]): ComparisonJobRecord | null {
  const row = rows[0];
  if (!row) return null;
  // A driver that leaves a json column as text: parsed here.
  const runs = typeof row.runs === 'string' ? (JSON.parse(row.runs) as JsonRun[]) : row.runs;
  return { ...row, runs: runs.map(runFromJson) };
}

function runFromJson(run: JsonRun): ComparisonRunRecord {
  return {
    ...run,
    learningRate: Number(run.learningRate),
    startedAt: time(run.startedAt),
    finishedAt: time(run.finishedAt),
    updatedAt: time(run.updatedAt) as Date,
  };
}

/** A TIMESTAMP(3) as JSON writes it (no zone: the client stores UTC). */
function time(text: string | null): Date | null {
  if (text === null) return null;
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(date.getTime())) throw new RangeError(`unreadable time from the database: ${text}`);
  return date;
}
