import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConversationRef } from '../../src/chat/conversation';
import type { Reply } from '../../src/chat/replies';
import type { StepRates } from '../../src/comparison/estimate';
import type { LearningRatePlanner } from '../../src/comparison/plan';
import { planComparison } from '../../src/comparison/plan';
import type { DispatchInput } from '../../src/comparison/ports';
import { checkQuota } from '../../src/comparison/quota/quota-check';
import { formatHours } from '../../src/comparison/quota/quota-format';
import { type QuotaSettings, readQuotaSettings, UNLIMITED } from '../../src/comparison/quota/quota-settings';
import { parseTeamLimit } from '../../src/comparison/quota/team-limits';
import { monthStart, teamUsage } from '../../src/comparison/quota/usage';
import { type ComparisonRequest, parseComparisonRequest } from '../../src/comparison/request';
import type { ConversationEngine } from '../../src/conversation/engine';
import type { Database, Repositories } from '../../src/persistence/index';
import { TASK_IDS } from '../../src/tasks/profiles';
import { loadFixtureRuns } from '../fixtures/runs/load';
import { startRecordingEngine } from '../support/recording-engine';

const TEAM = 'console:quota';
const planner3: LearningRatePlanner = {
  bucket: () => 'tiny',
  grid: (_m: string, _method: string, sweep: boolean) => ({
    values: sweep ? [1e-3, 3e-3, 1e-2] : [3e-3],
    default: 3e-3,
    source: 'measured',
  }),
};
const request = (pairs: Record<string, string>): ComparisonRequest => {
  const parsed = parseComparisonRequest([], new Map(Object.entries({ model: 'tiny', ...pairs })));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
};
/** Learning rates per method x seeds x tasks, as the planner does with a three-value sweep. */
const runsOf = (r: ComparisonRequest) => {
  const tasks = r.task.kind === 'suites' ? r.task.tasks.length : 1;
  return r.methods.flatMap((method) => Array(tasks * r.seeds * (r.lrSweep ? 3 : 1)).fill({ method }));
};
const settings = (over: Partial<Record<keyof QuotaSettings, number>>): QuotaSettings => ({
  ...UNLIMITED,
  ...Object.fromEntries(Object.entries(over).map(([k, v]) => [k, { default: v, teams: {} }])),
});
const idle = { usedHours: 0, reservedHours: 0, unestimatedRuns: 0, activeRuns: 0, queuedRuns: 0 };
// 36 s per step for both methods: 100 steps = 1 device-hour per run.
const rates: StepRates = new Map([
  ['lora', { secondsPerStep: 36, samples: 3, scope: 'this workspace' }],
  ['full', { secondsPerStep: 36, samples: 3, scope: 'this workspace' }],
]);

describe('quota settings', () => {
  it('reads defaults, per-team overrides, and refuses nonsense with the variable named', () => {
    const read = readQuotaSettings({
      FACEOFF_TEAM_GPU_HOURS: '40,slack:T1=500',
      FACEOFF_TEAM_CONCURRENCY: '0',
    });
    assert.deepEqual(read.monthlyGpuHours, { default: 40, teams: { 'slack:T1': 500 } });
    assert.equal(read.concurrentRuns.default, 0);
    assert.equal(read.runsPerComparison.default, 60);
    assert.equal(read.stepsPerRun.default, 20_000);
    assert.deepEqual(parseTeamLimit('X', 'discord:G=2.5', { fallback: 1, max: 10, integer: false }), {
      default: 1,
      teams: { 'discord:G': 2.5 },
    });
    for (const bad of ['-1', 'two', '=3', 'slack:T1=', '2.5', '1e9', 'Infinity'])
      assert.throws(
        () =>
          parseTeamLimit('FACEOFF_MAX_RUNS_PER_COMPARISON', bad, { fallback: 1, max: 1000, integer: true }),
        /FACEOFF_MAX_RUNS_PER_COMPARISON: ".*" is not a limit/,
        bad,
      );
    assert.equal(formatHours(14), '14');
    assert.equal(formatHours(6.5), '6.5');
    assert.equal(formatHours(0.25), '0.25');
    assert.equal(formatHours(0.0042), '0.004');
  });
});

describe('checkQuota', () => {
  const check = (r: ComparisonRequest, s: QuotaSettings, usage = idle, measured: StepRates = rates) =>
    checkQuota({
      team: TEAM,
      request: r,
      runs: runsOf(r),
      settings: s,
      usage,
      rates: measured,
      replan: runsOf,
    });

  it('refuses too many steps per run, naming the limit and what fits', () => {
    const verdict = check(
      request({ task: 'customer_service', max_steps: '100000' }),
      settings({ stepsPerRun: 20000 }),
    );
    assert.deepEqual(verdict, {
      ok: false,
      reason:
        "max_steps: 100000 is over this workspace's limit of 20000 steps per run (FACEOFF_MAX_STEPS_PER_RUN): try max_steps=20000.",
    });
  });

  it('refuses too many runs and suggests fewer seeds or no sweep', () => {
    const r = request({ task: 'all', seeds: '5' });
    const suites = TASK_IDS.length;
    assert.equal(runsOf(r).length, suites * 2 * 5 * 3);
    const verdict = check(r, settings({ runsPerComparison: suites * 12 }));
    assert.ok(!verdict.ok);
    assert.match(
      verdict.reason,
      new RegExp(
        `This plans up to ${suites * 30} runs .* allows ${suites * 12} per comparison .*: try seeds=2, or seeds=1\\.`,
      ),
    );
  });

  it('refuses what the month budget cannot hold: "this needs ~14 GPU-hours, your team has 6 left: try seeds=2"', () => {
    // 14 runs of 100 steps at 1 device-hour each (lora 3 lrs x ... ): use 7 seeds x 2 methods, no sweep.
    const r = { ...request({ task: 'customer_service', lr_sweep: 'off', max_steps: '100' }), seeds: 7 };
    const verdict = check(r, settings({ monthlyGpuHours: 20 }), { ...idle, usedHours: 12, reservedHours: 2 });
    assert.ok(!verdict.ok);
    assert.equal(
      verdict.reason,
      'This needs ~14 GPU-hours (estimated from measured runs) and your team has 6 left this month (budget 20, FACEOFF_TEAM_GPU_HOURS): try seeds=3, or seeds=2, or max_steps=42.',
    );
  });

  it('lets a comparison through with what it will use, or says it cannot be estimated yet', () => {
    const r = request({ task: 'customer_service', lr_sweep: 'off', seeds: '1', max_steps: '100' });
    const fits = check(r, settings({ monthlyGpuHours: 20 }));
    assert.deepEqual(fits, {
      ok: true,
      estimatedHours: 2,
      note: 'GPU-hour budget: this uses ~2 of the 20 left this month.',
    });
    const unknown = check(r, settings({ monthlyGpuHours: 20 }), idle, new Map());
    assert.ok(unknown.ok && unknown.estimatedHours === undefined);
    assert.match(unknown.ok ? (unknown.note ?? '') : '', /unknown until its first runs are measured/);
    const spent = check(r, settings({ monthlyGpuHours: 20 }), { ...idle, usedHours: 20 }, new Map());
    assert.ok(!spent.ok);
    assert.match(spent.reason, /used its 20 GPU-hours for this month \(20 measured, 0 reserved/);
  });
});

describe('team usage', () => {
  it('adds measured device-hours of runs ended this month and estimates the rest', () => {
    const now = new Date('2026-12-15T12:00:00Z');
    const [measured] = loadFixtureRuns((s) => s.method === 'lora');
    assert.ok(measured);
    const run = (state: string, extra: object) => ({ ...measured, state, summary: null, ...extra });
    const job = {
      request: request({ task: 'customer_service', max_steps: '100' }),
      runs: [
        run('completed', { summary: measured.summary, finishedAt: new Date('2026-12-02T00:00:00Z') }),
        run('completed', { summary: measured.summary, finishedAt: new Date('2026-11-30T23:00:00Z') }),
        run('failed', {
          startedAt: new Date('2026-12-03T00:00:00Z'),
          finishedAt: new Date('2026-12-03T00:30:00Z'),
        }),
        run('running', { startedAt: new Date('2026-12-15T11:30:00Z') }),
        run('queued', {}),
        { ...run('queued', {}), method: 'qlora' },
      ],
    };
    const usage = teamUsage([job as never], new Map([['tiny', rates]]), now);
    const measuredHours = (measured.summary as { device_hours: number }).device_hours;
    assert.equal(monthStart(now).toISOString(), '2026-12-01T00:00:00.000Z');
    assert.equal(usage.activeRuns, 1);
    assert.equal(usage.queuedRuns, 2);
    assert.equal(usage.unestimatedRuns, 1);
    assert.ok(Math.abs(usage.usedHours - (measuredHours + 0.5 + 0.5)) < 1e-9, String(usage.usedHours));
    assert.ok(Math.abs(usage.reservedHours - (0.5 + 1)) < 1e-9, String(usage.reservedHours));
  });
});

describe('team usage of staged comparisons', () => {
  it('reserves the runs later stages will add, and stops counting them once they are added', () => {
    const now = new Date('2026-12-15T12:00:00Z');
    const r = request({ task: 'customer_service', max_steps: '100' });
    const plan = planComparison(r, planner3, ['customer_service']);
    const runs = plan.runs.map((run, i) => ({ id: `j-${i + 1}`, ...run, state: 'completed', summary: null }));
    const job = { state: 'running', request: r, plan, runs };
    const usage = teamUsage([job as never], new Map([['tiny', rates]]), now);
    assert.equal(
      usage.reservedHours,
      6,
      'two methods x (one widening of the grid + two more seeds) at 1 device-hour each',
    );
    const replicated = {
      ...job,
      runs: [...runs, { ...runs[0], id: 'j-7', seed: 1, state: 'queued' }],
    };
    const after = teamUsage([replicated as never], new Map([['tiny', rates]]), now);
    assert.equal(after.reservedHours, 6, 'the added replica is reserved as a queued run, not twice');
    assert.equal(after.queuedRuns, 1);
    const widened = {
      ...job,
      runs: [...runs, { ...runs[0], id: 'j-7', learningRate: 0.18, state: 'queued' }],
    };
    const afterWidening = teamUsage([widened as never], new Map([['tiny', rates]]), now);
    assert.equal(afterWidening.reservedHours, 6, 'the widening run stands for its slot on seed 0');
  });
});

describe('quota through the engine (embedded database, recorded runs)', () => {
  let db: Database;
  let repositories: Repositories;
  let engine: ConversationEngine;
  let dispatched: DispatchInput[];
  const here: ConversationRef = { platform: 'console', workspace: 'quota', channel: 'c' };
  const send = async (text: string): Promise<string> =>
    (await engine.handle({ kind: 'command', text, user: { id: 'ann' }, conversation: here }))
      .map((r: Reply) =>
        [
          r.text,
          ...(r.tables ?? []).flatMap((t) => [
            t.title ?? '',
            ...t.rows.map((row) => row.join(' | ')),
            ...(t.notes ?? []),
          ]),
        ].join('\n'),
      )
      .join('\n');

  before(async () => {
    ({ db, repositories, engine, dispatched } = await startRecordingEngine({
      planner: {
        bucket: () => 'tiny',
        grid: (_m, _method, sweep) => ({
          values: sweep ? [1e-3, 3e-3, 1e-2] : [3e-3],
          default: 3e-3,
          source: 'measured',
        }),
      },
      quota: { ...readQuotaSettings({}), monthlyGpuHours: { default: 0.05, teams: {} } },
    }));
    // A finished comparison measured earlier this month: the recorded tiny-model runs.
    await repositories.teams.ensure('console:quota', { platform: 'console', externalId: 'quota' });
    const runs = loadFixtureRuns((s) => s.task === 'customer_service' && s.seed === 0);
    const job = await repositories.jobs.create({
      teamKey: 'console:quota',
      conversationKey: 'console:quota:c:',
      requesterId: 'ann',
      request: request({ task: 'customer_service', max_steps: '60' }),
      plan: {},
      runs: runs.map((r) => ({ task: r.task, method: r.method, seed: r.seed, learningRate: r.learningRate })),
    });
    const now = new Date();
    for (const [i, run] of job.runs.entries())
      await repositories.jobs.updateRun(run.id, {
        state: 'completed',
        summary: runs[i]?.summary,
        startedAt: new Date(now.getTime() - 60_000),
        finishedAt: now,
      });
    await repositories.jobs.setState(job.id, 'completed', { finishedAt: now });
  });
  after(async () => {
    await db.close();
  });

  it('/faceoff quota shows limits, measured use and what is left', async () => {
    const text = await send('quota');
    assert.match(text, /Quota for this workspace/);
    assert.match(text, /Runs per comparison \| 60/);
    assert.match(text, /Steps per run \| 20,000/);
    assert.match(text, /Runs at once \| 2 \| 0 running, 0 queued/);
    assert.match(
      text,
      /GPU-hours per month \| 0\.05 \| 0\.0\d+ used \(measured\), 0 reserved \(estimated\), 0\.0\d+ left/,
    );
  });

  it('a comparison over the budget is refused with what would fit, and nothing is queued', async () => {
    const before = (await repositories.jobs.listRecent('console:quota', 50)).length;
    const text = await send('compare task=customer_service model=tiny seeds=2 max_steps=2000');
    assert.match(
      text,
      /Nothing was queued:\nThis needs ~\d+(\.\d+)? GPU-hours \(estimated from measured runs\) and your team has 0\.0\d+ left this month/,
    );
    assert.match(text, /try /);
    assert.equal(dispatched.length, 0);
    assert.equal((await repositories.jobs.listRecent('console:quota', 50)).length, before);
  });

  it('counts every run a staged plan may add, not only its first stage', async () => {
    const limited = await startRecordingEngine({
      planner: planner3,
      quota: { ...readQuotaSettings({}), runsPerComparison: { default: 8, teams: {} } },
    });
    try {
      const replies = await limited.engine.handle({
        kind: 'command',
        text: 'compare task=customer_service model=tiny',
        user: { id: 'ann' },
        conversation: here,
      });
      assert.match(
        replies[0]?.text ?? '',
        /This plans up to 12 runs .* this workspace allows 8 per comparison .*: try seeds=1/,
      );
      assert.equal(limited.dispatched.length, 0);
    } finally {
      await limited.db.close();
    }
  });

  it('one that fits is queued and says what it uses', async () => {
    const text = await send('compare task=customer_service model=tiny seeds=1 lr_sweep=off max_steps=20');
    assert.match(text, /Comparison \w+\* queued/);
    assert.match(
      text,
      /Estimated device time \(measured\): lora ~.* per run \(\d+ measured in this workspace\)/,
    );
    assert.match(text, /GPU-hour budget: this uses ~0\.00\d of the 0\.0\d+ left this month/);
    assert.equal(dispatched.length, 1);
  });
});
