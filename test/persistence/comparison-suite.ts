/** Tests for comparison jobs, runs and metric points, run unchanged against each database backend. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NewComparisonJob } from '../../src/persistence/index.js';
import { jobFromRow, jobReadStatement } from '../../src/persistence/job-read-statement.js';
import { sleep } from './backends.js';
import { newTeamKey, rejectsAsDuplicate, type SuiteContext } from './repository-suite.js';

function jobInput(team: string, thread = '1712.5'): NewComparisonJob {
  return {
    teamKey: team,
    conversationKey: `${team}:C1:${thread}`,
    requesterId: 'U1',
    request: { task: 'classification', budget: { gpuHours: 2 }, note: 'ünïcode ✓' },
    plan: { methods: ['lora', 'full'], seeds: [1, 2], steps: 300 },
    runs: [
      { task: 'classification', method: 'lora', seed: 1, learningRate: 3e-3 },
      { task: 'classification', method: 'full', seed: 1, learningRate: 1e-3 },
      { task: 'classification', method: 'lora', seed: 2, learningRate: 3e-3 },
    ],
  };
}

export function comparisonSuite(ctx: SuiteContext): void {
  describe('ComparisonJobRepository', () => {
    it('creates a queued job with its runs in plan order', async () => {
      const team = newTeamKey();
      const job = await ctx.repos().jobs.create(jobInput(team));
      assert.match(job.id, /^[2-9a-hjkmnp-z]{7}$/);
      assert.equal(job.state, 'queued');
      assert.equal(job.teamId, team);
      assert.deepEqual(job.request, jobInput(team).request);
      assert.deepEqual(job.plan, jobInput(team).plan);
      assert.equal(job.summary, null);
      assert.equal(job.announcedAt, null);
      assert.deepEqual(
        job.runs.map((r) => [r.id, r.ordinal, r.method, r.seed, r.learningRate, r.state, r.attempts]),
        [
          [`${job.id}-1`, 1, 'lora', 1, 3e-3, 'queued', 0],
          [`${job.id}-2`, 2, 'full', 1, 1e-3, 'queued', 0],
          [`${job.id}-3`, 3, 'lora', 2, 3e-3, 'queued', 0],
        ],
      );
      assert.deepEqual(await ctx.repos().jobs.runsOf(job.id), job.runs);
    });

    it('lists ended jobs of every team for retention, not queued or running ones', async () => {
      const ended = await ctx.repos().jobs.create(jobInput(newTeamKey()));
      const running = await ctx.repos().jobs.create(jobInput(newTeamKey()));
      await ctx.repos().jobs.setState(ended.id, 'completed', { finishedAt: new Date() });
      await ctx.repos().jobs.setState(running.id, 'running');
      const ids = (await ctx.repos().jobs.listEnded(100_000)).map((j) => j.id);
      assert.ok(ids.includes(ended.id));
      assert.ok(!ids.includes(running.id));
      const listed = (await ctx.repos().jobs.listEnded(100_000)).find((j) => j.id === ended.id);
      assert.equal(listed?.runs.length, 3, 'with its runs');
    });

    it('finds a job by the id as typed, only within its team', async () => {
      const team = newTeamKey();
      const job = await ctx.repos().jobs.create(jobInput(team));
      assert.deepEqual(await ctx.repos().jobs.get(team, job.id), job);
      assert.deepEqual(await ctx.repos().jobs.get(team, ` ${job.id.toUpperCase()}\n`), job);
      assert.equal(await ctx.repos().jobs.get(newTeamKey(), job.id), null);
      assert.deepEqual(await ctx.repos().jobs.getById(job.id), job);
      assert.equal(await ctx.repos().jobs.getById('zzzzzzz'), null);
    });

    it('reads a job and its runs in one query exactly as the client’s own queries return them', async () => {
      const { prisma } = ctx.db();
      const team = newTeamKey();
      const study = await ctx.repos().studies.create({
        teamKey: team,
        conversationKey: `${team}:C1:1712.5`,
        requesterId: 'U1',
        kind: 'scaling',
        request: {},
      });
      const job = await ctx.repos().jobs.create({
        ...jobInput(team),
        studyId: study.id,
        runs: [
          { task: 'classification', method: 'lora', seed: 1, learningRate: 0.1 + 0.2, loraRank: 16 },
          { task: 'classification', method: 'full', seed: 1, learningRate: 1e-7, testSet: false },
          { task: 'classification', method: 'lora', seed: 2, learningRate: 5e-324 },
          { task: 'classification', method: 'full', seed: 2, learningRate: 2e-5 },
        ],
      });
      const expected = () =>
        prisma.comparisonJob.findUnique({
          where: { id: job.id },
          include: { runs: { orderBy: { ordinal: 'asc' } } },
        });
      assert.deepEqual(await ctx.repos().jobs.getById(job.id), await expected(), 'as created');
      await ctx.repos().jobs.updateRun(`${job.id}-1`, {
        state: 'completed',
        attempts: 2,
        progress: { step: 3, loss: 1.5, note: 'quote " backslash \\ ✓' },
        summary: { accuracy: 0.875, nested: { list: [1, null, 'ünï'] } },
        queueJobId: 'bull:42',
        artifactPath: 'out/runs/x y',
        startedAt: new Date('2026-03-29T01:30:00.001Z'),
        finishedAt: new Date('2026-10-25T23:59:59.999Z'),
      });
      await ctx.repos().jobs.updateRun(`${job.id}-2`, { state: 'failed', error: { message: 'CUDA OOM' } });
      // Floats JSON cannot write as numbers.
      await prisma.$executeRawUnsafe(
        `UPDATE "ComparisonRun" SET "learningRate" = 'NaN'::float8 WHERE "id" = '${job.id}-3'`,
      );
      await prisma.$executeRawUnsafe(
        `UPDATE "ComparisonRun" SET "learningRate" = '-Infinity'::float8 WHERE "id" = '${job.id}-4'`,
      );
      await ctx.repos().jobs.setState(job.id, 'completed', {
        summary: { verdict: 'text with \n a newline' },
        error: 'partly failed',
        startedAt: new Date('2000-01-01T00:00:00.000Z'),
        finishedAt: new Date('2099-12-31T23:59:59.999Z'),
        announced: true,
      });
      await ctx.repos().jobs.setProgressMessageKey(job.id, 'C1:1712.6');
      const stored = await expected();
      assert.ok(Number.isNaN(stored?.runs[2]?.learningRate), 'NaN stored');
      assert.deepEqual(await ctx.repos().jobs.getById(job.id), stored, 'after every column changed');
      // Nor does this process's time zone (the times come as text).
      const zone = process.env.TZ;
      process.env.TZ = 'America/St_Johns';
      try {
        assert.deepEqual(await ctx.repos().jobs.getById(job.id), stored, 'read in another time zone');
      } finally {
        if (zone === undefined) delete process.env.TZ;
        else process.env.TZ = zone;
      }
      // The session's time zone does not move the times read (one connection: a transaction).
      const inKiritimati = await prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL TIME ZONE 'Pacific/Kiritimati'`);
        return jobFromRow(await tx.$queryRaw(jobReadStatement(job.id)));
      });
      assert.deepEqual(inKiritimati, stored);
      const alone = await ctx.repos().jobs.create({ ...jobInput(team), runs: [] });
      assert.deepEqual((await ctx.repos().jobs.getById(alone.id))?.runs, []);
    });

    it('lists recent jobs newest first and finds the latest of a conversation', async () => {
      const team = newTeamKey();
      const a = await ctx.repos().jobs.create(jobInput(team, 't1'));
      await sleep(5);
      const b = await ctx.repos().jobs.create(jobInput(team, 't2'));
      await sleep(5);
      const c = await ctx.repos().jobs.create(jobInput(team, 't1'));
      await ctx.repos().jobs.create(jobInput(newTeamKey(), 't1'));
      assert.deepEqual(
        (await ctx.repos().jobs.listRecent(team, 2)).map((j) => j.id),
        [c.id, b.id],
      );
      assert.equal((await ctx.repos().jobs.listRecent(team, 10)).length, 3);
      assert.equal((await ctx.repos().jobs.latestForConversation(`${team}:C1:t1`))?.id, c.id);
      assert.equal((await ctx.repos().jobs.latestForConversation(`${team}:C1:t2`))?.id, b.id);
      assert.equal(await ctx.repos().jobs.latestForConversation(`${team}:C1:none`), null);
      assert.ok(a.createdAt <= c.createdAt);
    });

    it('moves a job through its states, with guards against reviving a finished job', async () => {
      const team = newTeamKey();
      const job = await ctx.repos().jobs.create(jobInput(team));
      const started = new Date('2026-01-02T03:04:05.678Z');
      const running = await ctx
        .repos()
        .jobs.setState(job.id, 'running', { startedAt: started, from: ['queued'] });
      assert.equal(running?.state, 'running');
      assert.equal(running?.startedAt?.getTime(), started.getTime());
      const summary = { winner: 'full', deltas: [0.12, -0.03], perMethod: { lora: { loss: 1.9 } } };
      const done = await ctx.repos().jobs.setState(job.id, 'completed', { summary, finishedAt: new Date() });
      assert.deepEqual(done?.summary, summary);
      assert.equal(done?.startedAt?.getTime(), started.getTime());
      assert.equal(
        await ctx.repos().jobs.setState(job.id, 'cancelled', { from: ['queued', 'running'] }),
        null,
      );
      assert.equal((await ctx.repos().jobs.getById(job.id))?.state, 'completed');
      const failed = await ctx
        .repos()
        .jobs.setState(job.id, 'failed', { error: 'worker lost', summary: null });
      assert.equal(failed?.error, 'worker lost');
      assert.equal(failed?.summary, null);
      assert.equal(await ctx.repos().jobs.setState('nojob22', 'running'), null);
    });

    it('keeps the times a state change writes whatever time zone the database session is in', async () => {
      const { prisma } = ctx.db();
      const job = await ctx.repos().jobs.create(jobInput(newTeamKey()));
      const started = new Date('2026-03-29T01:30:00.123Z');
      const finished = new Date('2026-10-25T23:59:59.999Z');
      await prisma.$executeRawUnsafe(`SET TIME ZONE 'Pacific/Kiritimati'`);
      try {
        assert.equal(
          await ctx.repos().jobs.changeState(job.id, 'running', { startedAt: started, from: ['queued'] }),
          true,
        );
        assert.equal(
          await ctx.repos().jobs.changeState(job.id, 'completed', { finishedAt: finished, announced: true }),
          true,
        );
      } finally {
        await prisma.$executeRawUnsafe('SET TIME ZONE UTC');
      }
      const stored = await ctx.repos().jobs.getById(job.id);
      assert.equal(stored?.startedAt?.toISOString(), started.toISOString());
      assert.equal(stored?.finishedAt?.toISOString(), finished.toISOString());
      assert.equal(stored?.announcedAt?.toISOString(), finished.toISOString());
      assert.equal(
        await ctx.repos().jobs.changeState(job.id, 'failed', { from: [] }),
        false,
        'no state to change from: nothing changes',
      );
      assert.equal((await ctx.repos().jobs.getById(job.id))?.state, 'completed');
    });

    it("ends a job with its runs' results in one statement, and only when every one of them was still open", async () => {
      const { jobs, outbox } = ctx.repos();
      const job = await ctx.repos().jobs.create(jobInput(newTeamKey()));
      const [r1, r2, r3] = job.runs.map((r) => r.id);
      assert.ok(r1 && r2 && r3);
      await jobs.changeRun(r3, { state: 'failed', finishedAt: new Date() });
      const at = new Date('2026-05-06T07:08:09.123Z');
      const summary = { final_eval_loss: 1.25, train_curve: [{ step: 1, loss: 2 }] };
      const ending = (runId: string, points = [{ series: 'train_loss', step: 1, value: 2 }]) => ({
        runId,
        patch: {
          state: 'completed' as const,
          finishedAt: at,
          summary,
          artifactPath: `/out/${runId}`,
          progress: { step: 1, total: 1 },
        },
        from: ['queued', 'running'] as const,
        points,
      });
      const notice = {
        key: `announce:${job.id}`,
        conversationKey: job.conversationKey,
        jobId: job.id,
        kind: 'announcement' as const,
        payload: { render: 'announcement' as const, jobId: job.id },
      };
      // One run no longer open: its sibling's result and the curves are stored, the job is not.
      const diverged = [
        { series: 'train_loss', step: 1, value: Number.NaN },
        { series: 'train_loss', step: 2, value: Number.POSITIVE_INFINITY },
        { series: 'train_loss', step: 3, value: Number.NEGATIVE_INFINITY },
      ];
      const raced = await jobs.change({
        id: job.id,
        state: 'completed',
        change: { finishedAt: at, from: ['queued', 'running'], announced: true },
        notices: [notice],
        runs: [ending(r1, diverged), ending(r3)],
        at,
      });
      assert.deepEqual(raced, { changed: false, runs: [r1] });
      let stored = await jobs.getById(job.id);
      assert.equal(stored?.state, 'queued');
      assert.equal(stored?.announcedAt, null);
      assert.deepEqual(await outbox.forJob(job.id), []);
      assert.equal(stored?.runs[2]?.state, 'failed', 'a run no longer open is left as it was');
      assert.deepEqual(
        stored?.runs[0] && {
          state: stored.runs[0].state,
          finishedAt: stored.runs[0].finishedAt,
          updatedAt: stored.runs[0].updatedAt,
          summary: stored.runs[0].summary,
          artifactPath: stored.runs[0].artifactPath,
          progress: stored.runs[0].progress,
        },
        {
          state: 'completed',
          finishedAt: at,
          updatedAt: at,
          summary,
          artifactPath: `/out/${r1}`,
          progress: { step: 1, total: 1 },
        },
      );
      assert.deepEqual((await jobs.metricSeries(r1)).train_loss, [
        { step: 1, value: Number.NaN },
        { step: 2, value: Number.POSITIVE_INFINITY },
        { step: 3, value: Number.NEGATIVE_INFINITY },
      ]);
      assert.deepEqual(
        await jobs.metricSeries(r3),
        { train_loss: [{ step: 1, value: 2 }] },
        'curves kept anyway',
      );

      // Every run open: the runs, the job and its notice together.
      const ended = await jobs.change({
        id: job.id,
        state: 'completed',
        change: { finishedAt: at, from: ['queued', 'running'], announced: true },
        notices: [notice],
        runs: [ending(r2)],
        at,
      });
      assert.deepEqual(ended, { changed: true, runs: [r2] });
      stored = await jobs.getById(job.id);
      assert.equal(stored?.state, 'completed');
      assert.equal(stored?.runs[1]?.state, 'completed');
      assert.equal(stored?.announcedAt?.getTime(), at.getTime());
      assert.deepEqual(
        (await outbox.forJob(job.id)).map((n) => n.key),
        [notice.key],
      );
      await assert.rejects(
        jobs.change({ id: job.id, state: 'failed', change: {}, runs: [ending(r1), ending(r1)] }),
        /once per statement/,
      );

      // What a trainer reports is data, never SQL: quotes, a statement, NUL-free unicode, a NaN.
      const hostile = await ctx.repos().jobs.create(jobInput(newTeamKey()));
      const text = `x'); DROP TABLE "ComparisonJob"; -- \\ " ✓ ${'é'.repeat(10_000)}`;
      const written = await jobs.change({
        id: hostile.id,
        state: 'completed',
        change: { summary: { verdict: text, score: Number.NaN } },
        runs: [
          {
            runId: hostile.runs[0]?.id ?? '',
            patch: { state: 'completed', summary: { note: text, loss: Number.NaN }, artifactPath: text },
            from: ['queued'],
            points: [{ series: text, step: 1, value: 0.5 }],
          },
        ],
      });
      assert.deepEqual(written.changed, true);
      const back = await jobs.getById(hostile.id);
      assert.deepEqual(back?.summary, { verdict: text, score: null });
      assert.deepEqual(back?.runs[0]?.summary, { note: text, loss: null });
      assert.equal(back?.runs[0]?.artifactPath, text);
      assert.deepEqual((await jobs.metricSeries(hostile.runs[0]?.id ?? ''))[text], [{ step: 1, value: 0.5 }]);
      assert.equal((await jobs.getById(job.id))?.state, 'completed', 'the table is still there');
    });

    it('stores where the progress message is', async () => {
      const job = await ctx.repos().jobs.create(jobInput(newTeamKey()));
      assert.equal(await ctx.repos().jobs.setProgressMessageKey(job.id, 'slack:T:C1:1712.9'), true);
      assert.equal((await ctx.repos().jobs.getById(job.id))?.progressMessageKey, 'slack:T:C1:1712.9');
      assert.equal(await ctx.repos().jobs.setProgressMessageKey(job.id, null), true);
      assert.equal((await ctx.repos().jobs.getById(job.id))?.progressMessageKey, null);
      assert.equal(await ctx.repos().jobs.setProgressMessageKey('nojob22', 'x'), false);
    });

    it('patches a run, leaving out what the patch leaves out', async () => {
      const job = await ctx.repos().jobs.create(jobInput(newTeamKey()));
      const runId = `${job.id}-2`;
      const before = (await ctx.repos().jobs.runsOf(job.id))[1];
      await sleep(5);
      const progress = { step: 120, of: 300, loss: 1.23 };
      const run = await ctx.repos().jobs.updateRun(runId, {
        state: 'running',
        attempts: { increment: 1 },
        progress,
        queueJobId: 'bull-42',
        startedAt: new Date(),
      });
      assert.equal(run?.state, 'running');
      assert.equal(run?.attempts, 1);
      assert.deepEqual(run?.progress, progress);
      assert.equal(run?.queueJobId, 'bull-42');
      assert.ok(before && run && run.updatedAt > before.updatedAt);
      const failed = await ctx.repos().jobs.updateRun(runId, {
        state: 'failed',
        attempts: 2,
        error: { message: 'CUDA OOM', retryable: false },
        artifactPath: 'out/runs/x',
        progress: null,
      });
      assert.deepEqual(failed?.error, { message: 'CUDA OOM', retryable: false });
      assert.equal(failed?.progress, null);
      assert.equal(failed?.attempts, 2);
      assert.equal(failed?.queueJobId, 'bull-42');
      assert.equal(failed?.artifactPath, 'out/runs/x');
      assert.equal(await ctx.repos().jobs.updateRun(runId, { state: 'running' }, { from: ['queued'] }), null);
      assert.equal(await ctx.repos().jobs.updateRun('nojob22-1', { state: 'running' }), null);
      const others = (await ctx.repos().jobs.runsOf(job.id)).filter((r) => r.id !== runId);
      assert.ok(others.every((r) => r.state === 'queued' && r.attempts === 0));
    });

    it('appends metric points idempotently and returns them as series by step', async () => {
      const job = await ctx.repos().jobs.create(jobInput(newTeamKey()));
      const runId = `${job.id}-1`;
      const first = [
        { series: 'train_loss', step: 20, value: 2.5 },
        { series: 'train_loss', step: 10, value: 3.0 },
        { series: 'eval_loss', step: 10, value: 3.1 },
      ];
      assert.equal(await ctx.repos().jobs.appendMetricPoints(runId, first), 3);
      assert.equal(await ctx.repos().jobs.appendMetricPoints(runId, first), 0);
      const resent = [
        { series: 'train_loss', step: 20, value: 9.9 },
        { series: 'train_loss', step: 30, value: 2.2 },
      ];
      assert.equal(await ctx.repos().jobs.appendMetricPoints(runId, resent), 1);
      assert.deepEqual(await ctx.repos().jobs.metricSeries(runId), {
        eval_loss: [{ step: 10, value: 3.1 }],
        train_loss: [
          { step: 10, value: 3.0 },
          { step: 20, value: 2.5 },
          { step: 30, value: 2.2 },
        ],
      });
      assert.deepEqual(await ctx.repos().jobs.metricSeries(`${job.id}-2`), {});
      assert.equal(await ctx.repos().jobs.appendMetricPoints(runId, []), 0);
      await assert.rejects(
        ctx.repos().jobs.appendMetricPoints(runId, [{ series: 'x', step: 1.5, value: 1 }]),
        /integer/,
      );
      await rejectsAsDuplicate(
        ctx.db().prisma.runMetricPoint.create({ data: { runId, series: 'eval_loss', step: 10, value: 0 } }),
      );
    });

    it('keeps a diverged run’s NaN and infinite losses', async () => {
      const job = await ctx.repos().jobs.create(jobInput(newTeamKey()));
      const runId = `${job.id}-1`;
      const points = [
        { series: 'train_loss', step: 1, value: Number.NaN },
        { series: 'train_loss', step: 2, value: Number.POSITIVE_INFINITY },
        { series: 'train_loss', step: 3, value: Number.NEGATIVE_INFINITY },
        { series: 'train_loss', step: 4, value: 0.5 },
      ];
      assert.equal(await ctx.repos().jobs.appendMetricPoints(runId, points), 4);
      assert.equal(await ctx.repos().jobs.appendMetricPoints(runId, points), 0);
      const { train_loss: loss } = await ctx.repos().jobs.metricSeries(runId);
      assert.deepEqual(
        loss?.map((p) => p.value),
        [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.5],
      );
    });

    it('stores thousands of points in one call', async () => {
      const job = await ctx.repos().jobs.create(jobInput(newTeamKey()));
      const points = Array.from({ length: 2500 }, (_, i) => ({
        series: 'train_loss',
        step: i,
        value: 1 / (i + 1),
      }));
      assert.equal(await ctx.repos().jobs.appendMetricPoints(`${job.id}-1`, points), 2500);
      assert.equal((await ctx.repos().jobs.metricSeries(`${job.id}-1`)).train_loss?.length, 2500);
    });

    it('marks a job announced exactly once, even under concurrent calls, until cleared', async () => {
      const job = await ctx.repos().jobs.create(jobInput(newTeamKey()));
      const results = await Promise.all(
        Array.from({ length: 12 }, () => ctx.repos().jobs.markAnnounced(job.id)),
      );
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal(await ctx.repos().jobs.markAnnounced(job.id), false);
      assert.ok((await ctx.repos().jobs.getById(job.id))?.announcedAt instanceof Date);
      assert.equal(await ctx.repos().jobs.markAnnounced('nojob22'), false);
      assert.equal(await ctx.repos().jobs.clearAnnounced(job.id), true);
      assert.equal((await ctx.repos().jobs.getById(job.id))?.announcedAt, null);
      assert.equal(await ctx.repos().jobs.markAnnounced(job.id), true, 'a retried job is announced again');
      assert.equal(await ctx.repos().jobs.clearAnnounced('nojob22'), false);
    });

    it('deletes a team’s jobs, runs and points with the team', async () => {
      const team = newTeamKey();
      const job = await ctx.repos().jobs.create(jobInput(team));
      await ctx.repos().jobs.appendMetricPoints(`${job.id}-1`, [{ series: 'eval_loss', step: 1, value: 1 }]);
      await ctx.db().prisma.team.delete({ where: { id: team } });
      assert.equal(await ctx.repos().jobs.getById(job.id), null);
      assert.equal(await ctx.db().prisma.comparisonRun.count({ where: { jobId: job.id } }), 0);
      assert.equal(await ctx.db().prisma.runMetricPoint.count({ where: { runId: `${job.id}-1` } }), 0);
    });
  });
}
