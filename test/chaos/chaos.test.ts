/**
 * Chaos against real processes: the bot (`bots/main.ts`, the real discord.js client against the
 * local Discord stand-in) and workers (`jobs/worker/main.ts`, the real trainer on the tiny model)
 * as separate processes, on a private PostgreSQL and a private Redis that the test stops, kills
 * and restarts. Every comparison must end announced exactly once with its results, or failed with
 * a notice that says why: never silently lost, never announced twice. Each case logs what the chat
 * showed and how long recovery took (`chaos: ...` lines).
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunSummary } from '../../src/analysis/run-summary';
import { type ComparisonJobRecord, type Database, openDatabase } from '../../src/persistence/index.js';
import { bool, int, slash, str, textOf } from '../bots/discord/discord-calls';
import { TOKEN } from '../bots/discord/discord-stack';
import { FakeDiscord } from '../bots/discord/fake-discord';
import { IDS } from '../bots/discord/payloads';
import { PrivatePostgres, PrivateRedis, Service, sleep } from './private-services';

const skip = PrivatePostgres.available()
  ? false
  : 'needs the PostgreSQL server binaries (apt-get install postgresql) to stop and start a server of its own';

describe('chaos: faults around a comparison, with real processes', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-chaos-'));
  chmodSync(dir, 0o755); // the private PostgreSQL runs as the postgres user when the tests run as root
  const artifacts = join(dir, 'artifacts');
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  let fake: FakeDiscord;
  let db: Database;
  let bot: Service;
  const workers: Service[] = [];
  const gone: Service[] = [];
  const table: string[] = [];

  const common = (): Record<string, string> => ({
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    HF_HUB_OFFLINE: '1',
    REDIS_URL: redis.url,
    FACEOFF_ARTIFACT_DIR: artifacts,
    FACEOFF_DATASET_DIR: join(dir, 'datasets'),
    FACEOFF_METRICS_PORT: 'off',
  });

  const worker = (name: string, wrap: string[] = []) =>
    new Service(name, [...wrap, process.execPath, '--import', 'tsx', 'jobs/worker/main.ts'], {
      ...common(),
      FACEOFF_LOCK_DURATION_MS: '4000',
      FACEOFF_STALLED_INTERVAL_MS: '2000',
    });

  before(async () => {
    postgres = await PrivatePostgres.start(join(dir, 'pg'));
    redis = await PrivateRedis.start(join(dir, 'redis'));
    fake = await FakeDiscord.start();
    bot = new Service('bot', [process.execPath, '--import', 'tsx', 'bots/main.ts'], {
      ...common(),
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: IDS.bot,
      DISCORD_API_URL: fake.apiUrl,
      DATABASE_URL: postgres.url,
      FACEOFF_EMBEDDED_WORKER: '0',
      FACEOFF_DISCORD_DISPATCH_ROLES: IDS.dispatchRole,
      FACEOFF_RECONCILE_INTERVAL_MS: '3000',
      FACEOFF_RECONCILE_GRACE_MS: '3000',
      FACEOFF_PROGRESS_INTERVAL_MS: '1000',
      FACEOFF_RETRY_BACKOFF_MS: '500',
      FACEOFF_CHECKPOINT_EVERY: '4',
      FACEOFF_EVAL_SIZE: '8',
      FACEOFF_TEST_SIZE: '8',
    });
    await bot.start(/discord connected/);
    db = await openDatabase({ url: postgres.url });
    workers.push(worker('worker-a'));
    await workers[0]?.start(/slots:/);
  });

  after(async () => {
    for (const w of workers) await w.kill();
    await bot?.kill();
    // Each process's output, for reading after a failure.
    const logs = join(tmpdir(), 'faceoff-chaos-logs');
    mkdirSync(logs, { recursive: true });
    for (const s of [bot, ...workers, ...gone]) if (s) writeFileSync(join(logs, `${s.name}.log`), s.output);
    await db?.close();
    await fake?.close();
    await redis?.close();
    await postgres?.close();
    rmSync(dir, { recursive: true, force: true });
    if (table.length)
      console.log(['chaos: fault | what the chat showed | time to recovery', ...table].join('\n'));
  });

  /** Runs `/faceoff compare` as someone allowed to dispatch; returns the job id. */
  async function compare(options: { steps: number; method?: 'lora' | 'full' }): Promise<string> {
    const before = new Set(
      (await db.prisma.comparisonJob.findMany({ select: { id: true } })).map((j) => j.id),
    );
    const answer = await slash(
      fake,
      'compare',
      [
        str('task', 'customer_service'),
        str('model', 'tiny'),
        str('methods', options.method ?? 'lora'),
        int('seeds', 1),
        bool('lr_sweep', false),
        int('max_steps', options.steps),
      ],
      'carol',
    );
    const created = (await db.prisma.comparisonJob.findMany({ select: { id: true } })).find(
      (j) => !before.has(j.id),
    );
    assert.ok(created, `a job was created: ${textOf(answer.answer)}`);
    return created.id;
  }

  async function job(id: string): Promise<ComparisonJobRecord | null> {
    return db.prisma.comparisonJob.findUnique({
      where: { id },
      include: { runs: { orderBy: { ordinal: 'asc' } } },
    }) as Promise<ComparisonJobRecord | null>;
  }

  async function waitFor<T>(
    what: string,
    check: () => Promise<T | undefined | false>,
    ms = 120_000,
  ): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await check().catch(() => undefined);
      if (value) return value;
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}\n--- bot ---\n${bot.output.slice(-3000)}\n--- workers ---\n${workers
            .map((w) => `${w.name}: ${w.output.slice(-2000)}`)
            .join('\n')}`,
        );
      await sleep(150);
    }
  }

  /** What the channel was told about the job: its announcements (finished or failed). */
  const announcementCalls = (id: string) =>
    fake.calls.filter(
      (c) =>
        c.method === 'POST' &&
        /^\/channels\/\d+\/messages$/.test(c.path) &&
        (textOf(c).includes(`Comparison ${id} finished`) || textOf(c).includes(`Comparison ${id} failed`)),
    );
  const announcements = (id: string) => announcementCalls(id).map((c) => textOf(c));
  /** Milliseconds from `since` (performance.now()) to the announcement reaching the platform. */
  const announcedAfter = (id: string, since: number) => (announcementCalls(id)[0]?.at ?? since) - since;
  const runningAt = (id: string, step: number) =>
    waitFor(`job ${id} training at step ${step}`, async () => {
      const run = (await job(id))?.runs[0];
      return run?.state === 'running' && ((run.progress as { step?: number } | null)?.step ?? 0) >= step;
    });
  const announced = (id: string, ms = 120_000) =>
    waitFor(`the announcement of ${id}`, async () => announcements(id).length > 0, ms);

  /**
   * Every comparison announced so far: the last case checks again that each was announced exactly
   * once, at least `DUPLICATE_WINDOW_MS` after the last announcement. A duplicate that comes late
   * is caught there instead of each case waiting for it on its own.
   */
  const announcedIds: string[] = [];
  const DUPLICATE_WINDOW_MS = 4000;

  /** Checks there is one announcement now (and again, for a late duplicate, after the last case). */
  async function exactlyOnce(id: string): Promise<string> {
    const said = announcements(id);
    assert.equal(said.length, 1, said.join('\n---\n'));
    announcedIds.push(id);
    return said[0] ?? '';
  }

  /** Announced once as finished, with the run's results stored; returns what the channel was told. */
  async function completedOnce(id: string): Promise<string> {
    const text = await exactlyOnce(id);
    assert.match(text, /finished/);
    const ended = await job(id);
    assert.equal(ended?.state, 'completed');
    assert.ok(
      Object.keys((ended?.runs[0]?.summary as RunSummary | null)?.metrics ?? {}).length,
      'results recorded',
    );
    return text;
  }

  function record(fault: string, shown: string, recoveredMs: number) {
    const lines = shown
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, 2);
    table.push(`${fault} | ${lines.join(' / ').slice(0, 240)} | ${(recoveredMs / 1000).toFixed(1)} s`);
  }

  it('the bot killed with SIGKILL mid-comparison and started again: announced once, with results', async () => {
    const id = await compare({ steps: 24 });
    await runningAt(id, 2);
    await bot.kill();
    const runDir = join(artifacts, id, `${id}-1`);
    await waitFor('the run to finish while the bot is down', async () =>
      existsSync(join(runDir, 'result.json')),
    );
    const restarted = performance.now();
    await bot.start(/discord connected/);
    await announced(id);
    const recovered = announcedAfter(id, restarted);
    const text = await completedOnce(id);
    record('bot SIGKILL mid-run, restarted after the run ended', text, recovered);
  });

  it('the chat platform answering 500 and then 429 at announce time: announced once when it answers again', async () => {
    const id = await compare({ steps: 16 });
    await runningAt(id, 1);
    // Every new channel message fails for a while: 500s (discord.js retries each call 3 times), then a 429.
    fake.failNext('POST', new RegExp(`^/channels/${IDS.channel}/messages$`), 500, 6);
    fake.failNext('POST', new RegExp(`^/channels/${IDS.channel}/messages$`), 429, 1, 2);
    const refusedBefore = fake.refused.length;
    await waitFor(
      'the run to finish',
      async () => (await job(id))?.state !== 'running' && (await job(id))?.state,
    );
    const ended = performance.now();
    await announced(id);
    const recovered = announcedAfter(id, ended);
    const text = await exactlyOnce(id);
    assert.ok(fake.refused.length - refusedBefore >= 6, 'the platform refused posts');
    // The platform has the message; the outbox marks it sent once the bot has read the answer.
    await waitFor(
      'the announcement marked sent in the outbox',
      async () => {
        const notices = await db.prisma.outboxNotice.findMany({ where: { jobId: id, kind: 'announcement' } });
        return notices.length === 1 && notices[0]?.state === 'sent';
      },
      30_000,
    );
    record('Discord answering 500 x6 then 429 at announce time', text, recovered);
  });

  it('Redis restarted mid-comparison with its append-only file: the comparison completes, announced once', async () => {
    const id = await compare({ steps: 40 });
    await runningAt(id, 2);
    await redis.restart({ keep: true, downMs: 1000 });
    const back = performance.now();
    await announced(id, 180_000);
    const recovered = announcedAfter(id, back);
    const text = await exactlyOnce(id);
    assert.match(text, /finished/);
    assert.equal((await job(id))?.state, 'completed');
    record('Redis restarted (AOF, everysec) mid-run', text, recovered);
  });

  it('Redis restarted mid-comparison without persistence: failed with a notice that says what was lost, once', async () => {
    const id = await compare({ steps: 400 });
    await runningAt(id, 2);
    await redis.restart({ keep: false });
    const back = performance.now();
    await announced(id, 120_000);
    const recovered = announcedAfter(id, back);
    const text = await exactlyOnce(id);
    assert.match(text, new RegExp(`Comparison ${id} failed`));
    assert.match(text, /the queue no longer has this run \(Redis restarted without persistence/);
    assert.equal((await job(id))?.state, 'failed');
    record('Redis restarted empty (no persistence) mid-run', text, recovered);
    // The lost run's trainer stops once its worker finds its lock gone.
  });

  it('PostgreSQL stopped before the comparison ends and started 20 s after it ended: announced once, with results', async () => {
    const id = await compare({ steps: 60 });
    await runningAt(id, 4);
    await postgres.stop();
    const stopped = performance.now();
    const runDir = join(artifacts, id, `${id}-1`);
    await waitFor('the run to end while the database is down', async () =>
      existsSync(join(runDir, 'result.json')),
    );
    const endedDown = performance.now();
    await sleep(20_000);
    await postgres.startServer();
    const back = performance.now();
    await announced(id, 180_000);
    const recovered = announcedAfter(id, back);
    assert.ok(recovered >= 0, 'announced only once the database was back');
    assert.ok(announcedAfter(id, stopped) > 0);
    const text = await completedOnce(id);
    assert.ok(bot.running, 'the bot survived the database going away');
    record(
      `PostgreSQL stopped mid-run; the run ended ${((endedDown - stopped) / 1000).toFixed(0)} s later; started 20 s after that`,
      text,
      recovered,
    );
  });

  it('a worker killed mid-run: the run resumes from its checkpoint on another worker, loss curve continuous', async () => {
    const second = worker('worker-b');
    workers.push(second);
    await second.start(/slots:/);
    const id = await compare({ steps: 40 });
    const runId = `${id}-1`;
    const checkpoint = join(artifacts, id, runId, 'checkpoint');
    await waitFor('a checkpoint', async () => existsSync(checkpoint));
    await runningAt(id, 6);
    const holder = workers.find((w) => w.output.includes(`run ${runId} (`)) ?? workers[0];
    assert.ok(holder);
    const killed = performance.now();
    await holder.kill();
    workers.splice(workers.indexOf(holder), 1);
    gone.push(holder);
    await announced(id, 180_000);
    const text = await exactlyOnce(id);
    assert.match(text, /finished/);
    const summary = (await job(id))?.runs[0]?.summary as (RunSummary & { resumed_from_step?: number }) | null;
    const resumed = summary?.resumed_from_step ?? 0;
    assert.ok(resumed > 0, 'resumed from a checkpoint, not from scratch');
    assert.deepEqual(
      summary?.train_curve.map((p) => p.step),
      Array.from({ length: 40 }, (_, i) => i + 1),
      'every step once, from 1 to the last',
    );
    // What the channel saw: the progress message said where the run continued from.
    const said = fake.calls.find(
      (c) =>
        c.at > killed &&
        /\/channels\/\d+\/messages/.test(c.path) &&
        textOf(c).includes(`resumed from step ${resumed}`),
    );
    assert.ok(said, 'the progress message says "resumed from step N"');
    const recovered = said.at - killed;
    record(`worker SIGKILL mid-run; resumed on another worker from step ${resumed}`, text, recovered);
  });

  it("a worker's disk filling up during a save: failed at once with a plain notice, not retried", async () => {
    // The disk-limited worker alone takes the run.
    for (const w of workers) await w.stop();
    gone.push(...workers);
    workers.length = 0;
    // It sees its artifact directory as a 256 KiB tmpfs: full fine-tuning's weights do not fit.
    const small = worker('worker-small-disk', [
      'bwrap',
      '--dev-bind',
      '/',
      '/',
      '--size',
      String(256 * 1024),
      '--tmpfs',
      artifacts,
      '--',
    ]);
    workers.push(small);
    await small.start(/slots:/);
    const id = await compare({ steps: 4, method: 'full' });
    const started = performance.now();
    await announced(id, 120_000);
    const shown = announcedAfter(id, started);
    const text = await exactlyOnce(id);
    assert.match(text, new RegExp(`Comparison ${id} failed`));
    assert.match(text, /disk full on worker/);
    const run = (await job(id))?.runs[0];
    assert.equal(run?.state, 'failed');
    assert.equal(run?.attempts, 1, 'not retried');
    record('worker disk full (256 KiB tmpfs) while saving', text, shown);
  });

  it('no comparison was announced twice, however late a duplicate came', async () => {
    assert.ok(announcedIds.length > 0, 'the cases above announced comparisons');
    const last = Math.max(...announcedIds.map((id) => announcementCalls(id)[0]?.at ?? 0));
    await sleep(Math.max(0, last + DUPLICATE_WINDOW_MS - performance.now()));
    for (const id of announcedIds) {
      const said = announcements(id);
      assert.equal(said.length, 1, `${id}:\n${said.join('\n---\n')}`);
    }
  });
});
