import type {
  ComparisonJobRecord,
  ComparisonRunRecord,
  JobState,
  JobStateChange,
  MeasuredRun,
  MetricPoint,
  MetricSeries,
  NewComparisonJob,
  RunPatch,
  RunSpec,
  RunState,
} from './comparison-records.js';
import { Prisma, type PrismaClient } from './generated/client.js';
import {
  type JobChange,
  type JobChangeResult,
  jobChangeResult,
  jobChangeStatement,
} from './job-change-statement.js';
import { jobFromRow, jobReadStatement } from './job-read-statement.js';
import { jsonValue, optionalJson, plain, sqlTime } from './json-values.js';
import { type NoticeInput, noticesAfter, type SubscriberNotices, writeNotices } from './outbox-repository.js';
import { isUniqueViolation, normaliseTypedId, shortId, withFreshId } from './short-id.js';
import { assertInTeam, ensureTeamRow } from './team-scope.js';

type Client = PrismaClient | Prisma.TransactionClient;

export const newJobId = (): string => shortId(7);

const withRuns = { runs: { orderBy: { ordinal: 'asc' } } } as const;
const METRIC_BATCH = 1000;

/** Comparison jobs, their runs and the runs' learning curves. */
export class ComparisonJobRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(input: NewComparisonJob): Promise<ComparisonJobRecord> {
    assertInTeam(input.teamKey, input.conversationKey, 'conversation key');
    await ensureTeamRow(this.prisma, input.teamKey);
    const request = jsonValue(input.request, 'job request');
    const plan = jsonValue(input.plan, 'job plan');
    return withFreshId(newJobId, (id) =>
      this.prisma.comparisonJob.create({
        data: {
          id,
          teamId: input.teamKey,
          conversationKey: input.conversationKey,
          requesterId: input.requesterId,
          request,
          plan,
          ...(input.studyId ? { studyId: input.studyId } : {}),
          runs: {
            createMany: {
              data: input.runs.map((r, i) => ({
                id: `${id}-${i + 1}`,
                ordinal: i + 1,
                task: r.task,
                method: r.method,
                seed: r.seed,
                learningRate: r.learningRate,
                loraRank: r.loraRank ?? null,
                testSet: r.testSet ?? true,
              })),
            },
          },
        },
        include: withRuns,
      }),
    );
  }

  /**
   * Adds a later stage's runs after the job's existing ones (ordinals continue). Run ids follow
   * from the ordinals, so two callers adding the same stage create it once: only the caller that
   * created the runs gets them back, the other gets none.
   */
  async addRuns(
    jobId: string,
    after: number,
    runs: readonly RunSpec[],
    notices: readonly NoticeInput[] = [],
  ): Promise<ComparisonRunRecord[]> {
    const data = runs.map((r, i) => ({
      id: `${jobId}-${after + i + 1}`,
      jobId,
      ordinal: after + i + 1,
      task: r.task,
      method: r.method,
      seed: r.seed,
      learningRate: r.learningRate,
      loraRank: r.loraRank ?? null,
      testSet: r.testSet ?? true,
    }));
    const add = async (tx: Client) => {
      const { count } = await tx.comparisonRun.createMany({ data, skipDuplicates: true });
      if (count === data.length) await writeNotices(tx, notices);
      return count === data.length;
    };
    const added = notices.length ? await this.prisma.$transaction(add) : await add(this.prisma);
    if (!added) return [];
    return this.prisma.comparisonRun.findMany({
      where: { id: { in: data.map((d) => d.id) } },
      orderBy: { ordinal: 'asc' },
    });
  }

  /** The team's job by the id as typed (case and spaces do not matter). */
  async get(teamKey: string, id: string): Promise<ComparisonJobRecord | null> {
    const job = await this.getById(id);
    return job?.teamId === teamKey ? job : null;
  }

  /**
   * The job and its runs in one query (`include` would ask for the runs after the job; two
   * queries side by side still cost the embedded database two).
   */
  async getById(id: string): Promise<ComparisonJobRecord | null> {
    return jobFromRow(await this.prisma.$queryRaw(jobReadStatement(normaliseTypedId(id))));
  }

  /** Newest first. */
  listRecent(teamKey: string, limit: number): Promise<ComparisonJobRecord[]> {
    return this.prisma.comparisonJob.findMany({
      where: { teamId: teamKey },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: Math.max(0, Math.floor(limit)),
      include: withRuns,
    });
  }

  /** Every team's queued or running jobs, oldest first: for reconciliation with the queue. */
  listOpen(limit: number): Promise<ComparisonJobRecord[]> {
    return this.prisma.comparisonJob.findMany({
      where: { state: { in: ['queued', 'running'] } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: Math.max(0, Math.floor(limit)),
      include: withRuns,
    });
  }

  /** Ended jobs nobody announced (an announcement that failed), oldest ending first. */
  listUnannounced(limit: number): Promise<ComparisonJobRecord[]> {
    return this.prisma.comparisonJob.findMany({
      where: { state: { in: ['completed', 'failed', 'cancelled'] }, announcedAt: null },
      orderBy: [{ finishedAt: 'asc' }, { id: 'asc' }],
      take: Math.max(0, Math.floor(limit)),
      include: withRuns,
    });
  }

  /** Every team's ended jobs (completed, failed, cancelled), oldest ending first: for retention. */
  listEnded(limit: number): Promise<ComparisonJobRecord[]> {
    return this.prisma.comparisonJob.findMany({
      where: { state: { in: ['completed', 'failed', 'cancelled'] } },
      orderBy: [{ finishedAt: 'asc' }, { id: 'asc' }],
      take: Math.max(0, Math.floor(limit)),
      include: withRuns,
    });
  }

  /** The team's jobs that count towards its usage since `since`: created, active or finished since then. */
  listForUsage(teamKey: string, since: Date): Promise<ComparisonJobRecord[]> {
    return this.prisma.comparisonJob.findMany({
      where: {
        teamId: teamKey,
        OR: [
          { createdAt: { gte: since } },
          { finishedAt: { gte: since } },
          { state: { in: ['queued', 'running'] } },
        ],
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      include: withRuns,
    });
  }

  /** Completed runs with a result, newest first, across every team, with their job's team and request. */
  async recentMeasuredRuns(limit: number): Promise<MeasuredRun[]> {
    const rows = await this.prisma.comparisonRun.findMany({
      where: { state: 'completed', NOT: { summary: { equals: Prisma.DbNull } } },
      orderBy: [{ finishedAt: 'desc' }, { id: 'asc' }],
      take: Math.max(0, Math.floor(limit)),
      include: { job: { select: { teamId: true, request: true } } },
    });
    return rows.map(({ job, ...run }) => ({ run, teamId: job.teamId, request: job.request }));
  }

  latestForConversation(conversationKey: string): Promise<ComparisonJobRecord | null> {
    return this.prisma.comparisonJob.findFirst({
      where: { conversationKey },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      include: withRuns,
    });
  }

  /**
   * Sets the job's state and the given fields. Null when the job does not exist, or when `from`
   * is given and the job is in none of those states (nothing is changed then).
   */
  async setState(
    id: string,
    state: JobState,
    change: JobStateChange = {},
    notices: readonly NoticeInput[] = [],
  ): Promise<ComparisonJobRecord | null> {
    return (await this.changeState(id, state, change, notices)) ? this.getById(id) : null;
  }

  /**
   * `setState` without reading the job back: true when it changed. One statement: the job's change
   * and, only when it happened, the notices that report it (a key already written is kept as it
   * is) and one to each subscribed channel, so all exist or none, without a transaction's extra
   * round trips.
   */
  async changeState(
    id: string,
    state: JobState,
    change: JobStateChange = {},
    notices: readonly NoticeInput[] = [],
    subscribers?: SubscriberNotices,
  ): Promise<boolean> {
    return (await this.change({ id, state, change, notices, ...(subscribers ? { subscribers } : {}) }))
      .changed;
  }

  /**
   * A job's change with the runs it ends, in one statement: each run's patch (while the run is in
   * its `from`) and its points, then the job's change and its notices only if every run changed.
   */
  async change(input: JobChange): Promise<JobChangeResult> {
    return jobChangeResult(
      await this.prisma.$queryRaw<{ changed: number; runs: string }[]>(jobChangeStatement(input)),
    );
  }

  /** Where the job's progress message lives on the chat platform; false if no such job. */
  async setProgressMessageKey(id: string, key: string | null): Promise<boolean> {
    const { count } = await this.prisma.comparisonJob.updateMany({
      where: { id },
      data: { progressMessageKey: key },
    });
    return count === 1;
  }

  /** Applies the patch; null when the run does not exist or (with `from`) is in another state. */
  async updateRun(
    runId: string,
    patch: RunPatch,
    opts: { from?: readonly RunState[]; notices?: readonly NoticeInput[] } = {},
  ): Promise<ComparisonRunRecord | null> {
    return (await this.changeRun(runId, patch, opts))
      ? this.prisma.comparisonRun.findUnique({ where: { id: runId } })
      : null;
  }

  /** `updateRun` without reading the run back: true when it changed. */
  async changeRun(
    runId: string,
    patch: RunPatch,
    opts: { from?: readonly RunState[]; notices?: readonly NoticeInput[] } = {},
  ): Promise<boolean> {
    const change = async (tx: Client) => {
      const { count } = await tx.comparisonRun.updateMany({
        where: { id: runId, ...(opts.from ? { state: { in: [...opts.from] } } : {}) },
        data: {
          state: patch.state,
          attempts: patch.attempts,
          progress: optionalJson(patch.progress, 'run progress'),
          summary: optionalJson(patch.summary, 'run summary'),
          error: optionalJson(patch.error, 'run error'),
          artifactPath: patch.artifactPath,
          queueJobId: patch.queueJobId,
          startedAt: patch.startedAt,
          finishedAt: patch.finishedAt,
        },
      });
      if (count === 1 && opts.notices) await writeNotices(tx, opts.notices);
      return count === 1;
    };
    return opts.notices?.length ? this.prisma.$transaction(change) : change(this.prisma);
  }

  runsOf(jobId: string): Promise<ComparisonRunRecord[]> {
    return this.prisma.comparisonRun.findMany({ where: { jobId }, orderBy: { ordinal: 'asc' } });
  }

  /**
   * Stores the points; a (series, step) already stored is skipped, so re-sending is harmless.
   * Returns how many were new. NaN and ±Infinity (a diverged run) are kept as such.
   */
  async appendMetricPoints(runId: string, points: readonly MetricPoint[]): Promise<number> {
    for (const p of points) {
      if (!Number.isInteger(p.step)) throw new RangeError(`metric step must be an integer, got ${p.step}`);
    }
    const rows = points.map((p) => ({ runId, series: p.series, step: p.step, value: p.value }));
    let added = 0;
    // Bulk inserts carry every non-finite number as NaN, so those rows go one by one.
    const finite = rows.filter((r) => Number.isFinite(r.value));
    for (let i = 0; i < finite.length; i += METRIC_BATCH) {
      const data = finite.slice(i, i + METRIC_BATCH);
      added += (await this.prisma.runMetricPoint.createMany({ data, skipDuplicates: true })).count;
    }
    for (const data of rows.filter((r) => !Number.isFinite(r.value))) {
      try {
        await this.prisma.runMetricPoint.create({ data, select: { step: true } });
        added++;
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
    }
    return added;
  }

  async metricSeries(runId: string): Promise<MetricSeries> {
    const rows = await this.prisma.runMetricPoint.findMany({
      where: { runId },
      orderBy: [{ series: 'asc' }, { step: 'asc' }],
      select: { series: true, step: true, value: true },
    });
    const series: MetricSeries = {};
    for (const r of rows) {
      const points = series[r.series] ?? [];
      points.push({ step: r.step, value: r.value });
      series[r.series] = points;
    }
    return series;
  }

  /**
   * True only for the first caller per job, in any process: announce the result exactly once. The
   * notices that announce it are written in the same statement, so the claim and the
   * announcement's notices exist together or not at all.
   */
  async markAnnounced(
    jobId: string,
    notices: readonly NoticeInput[] = [],
    subscribers?: SubscriberNotices,
  ): Promise<boolean> {
    const [row] = await this.prisma.$queryRaw<{ count: number }[]>`
      WITH claimed AS (
        UPDATE "ComparisonJob" SET "announcedAt" = ${sqlTime(new Date())}
        WHERE "id" = ${jobId} AND "announcedAt" IS NULL RETURNING "id"
      )${noticesAfter('claimed', notices, subscribers)}
      SELECT count(*)::int AS "count" FROM claimed`;
    return row?.count === 1;
  }

  /** Lets a retried job be announced again; false if no such job. */
  async clearAnnounced(jobId: string): Promise<boolean> {
    const { count } = await this.prisma.comparisonJob.updateMany({
      where: { id: jobId },
      data: { announcedAt: null },
    });
    return count === 1;
  }
}

/**
 * The run as stored after `patch` was written at `at` (its `updatedAt`), without reading it again:
 * its JSON fields as they read back (a NaN, which JSON cannot hold, reads back as null).
 */
export function runAfterPatch(run: ComparisonRunRecord, patch: RunPatch, at: Date): ComparisonRunRecord {
  const { attempts: _unchanged, progress, summary, error, ...fields } = patch;
  const json = (value: unknown, what: string) =>
    value === undefined || value === null ? value : plain(value, what);
  return {
    ...run,
    ...fields,
    ...(progress !== undefined ? { progress: json(progress, 'run progress') } : {}),
    ...(summary !== undefined ? { summary: json(summary, 'run summary') } : {}),
    ...(error !== undefined ? { error: json(error, 'run error') } : {}),
    updatedAt: at,
  } as ComparisonRunRecord;
}
