import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QueueInspection } from '../../jobs/queue-inspection';
import { type JobSystem, startJobSystem } from '../../jobs/runtime';
import type { RunningServer } from '../../ops/http-listen';
import { FaceoffMetrics } from '../../ops/metrics';
import { startMetricsServer } from '../../ops/metrics-server';
import type { ConversationRef } from '../../src/chat/conversation';
import type { Reply } from '../../src/chat/replies';
import { ConversationEngine } from '../../src/conversation/engine';
import {
  createRepositories,
  type Database,
  openDatabase,
  type Repositories,
} from '../../src/persistence/index';
import { FAKE_TRAINER_PATH } from '../fixtures/trainers/fake-runs';
import { jobIdFrom, waitFor } from '../support/harness';
import { RecordingNotifier } from '../support/recording-notifier';
import { deleteRedisKeys, testJobsConfig } from '../support/test-services';
import { sampleSum, scrape } from './prometheus-text';

const CONSOLE: ConversationRef = { platform: 'console', workspace: 'ops', channel: 'c1' };
const COMPARE = '/faceoff compare task=customer_service model=tiny seeds=1 max_steps=6 lr_sweep=off';

/**
 * The metrics a bot process serves, scraped over HTTP while real comparisons go through the real
 * queue (Redis under a unique prefix), the control plane and an in-process worker running the fake
 * trainer.
 */
describe('GET /metrics while comparisons run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-metrics-'));
  const prefix = `faceoff-test-${randomBytes(4).toString('hex')}`;
  const metrics = new FaceoffMetrics({ process: 'bot' });
  let db: Database;
  let repositories: Repositories;
  let jobs: JobSystem;
  let inspection: QueueInspection;
  let server: RunningServer;
  let engine: ConversationEngine;
  const send = (text: string): Promise<Reply[]> =>
    engine.handle({ kind: 'command', text, user: { id: 'alice' }, conversation: CONSOLE });
  const read = () => scrape(server.url);
  const behave = (behaviour: string, stepMs: number) => {
    process.env.FAKE_TRAINER_BEHAVIOUR = behaviour;
    process.env.FAKE_TRAINER_STEP_MS = String(stepMs);
  };

  before(async () => {
    process.env.FACEOFF_TRAINER_ENV = 'FAKE_TRAINER_BEHAVIOUR,FAKE_TRAINER_STEP_MS';
    process.env.FACEOFF_GPU_SLOTS = '0';
    db = await openDatabase({ url: `file:${join(dir, 'db')}` });
    repositories = createRepositories(db.prisma);
    jobs = await startJobSystem({
      config: testJobsConfig(dir, prefix, { trainerPath: FAKE_TRAINER_PATH, trainerDefaults: {} }),
      repositories,
      notifier: new RecordingNotifier(),
      embeddedRedis: false,
      log: () => {},
      metrics,
    });
    engine = new ConversationEngine({
      sessions: repositories.sessions,
      decisions: repositories.decisions,
      teams: repositories.teams,
      sessionTtlMs: 3_600_000,
      commands: jobs.commands,
    });
    inspection = new QueueInspection(jobs.queues.connection, jobs.queues.prefix);
    metrics.watchQueues(inspection);
    server = await startMetricsServer(metrics, { port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await server?.close();
    await inspection?.close();
    await jobs?.close();
    await db?.close();
    await deleteRedisKeys(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the text format on /metrics only, with process metrics labelled by process', async () => {
    const response = await fetch(server.url);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    assert.ok(sampleSum(text, 'process_cpu_user_seconds_total', { process: 'bot' }) > 0);
    assert.match(text, /^# TYPE faceoff_runs_total counter$/m);
    assert.equal((await fetch(server.url.replace('/metrics', '/'))).status, 404);
    assert.equal((await fetch(server.url, { method: 'POST' })).status, 405);
  });

  it('shows queue depth during a comparison, then runs started and completed with their durations', async () => {
    behave('succeed', 150);
    const before = await read();
    const completed = { state: 'completed', process: 'bot' };
    assert.equal(sampleSum(before, 'faceoff_runs_total', completed), 0);

    const id = jobIdFrom(await send(COMPARE));
    // One CPU slot: one run trains while the other waits, under a parent waiting for both.
    const during = await waitFor(
      'one run active and one waiting',
      async () => {
        const text = await read();
        const runs = { queue: 'faceoff-runs' };
        return sampleSum(text, 'faceoff_queue_jobs', { ...runs, state: 'active' }) === 1 &&
          sampleSum(text, 'faceoff_queue_jobs', { ...runs, state: 'waiting' }) === 1
          ? text
          : undefined;
      },
      30_000,
    );
    assert.equal(
      sampleSum(during, 'faceoff_queue_jobs', { queue: 'faceoff-comparisons', state: 'waiting-children' }),
      1,
    );
    await jobs.idle();
    assert.equal((await repositories.jobs.getById(id))?.state, 'completed');

    const after = await read();
    for (const method of ['lora', 'full']) {
      assert.equal(sampleSum(after, 'faceoff_runs_total', { state: 'started', method }), 1, method);
      assert.equal(sampleSum(after, 'faceoff_runs_total', { state: 'completed', method }), 1, method);
      const duration = { method, outcome: 'completed' };
      assert.equal(sampleSum(after, 'faceoff_run_duration_seconds_count', duration), 1, method);
      // Six steps of 150 ms: the run took at least 0.9 s from start to end.
      assert.ok(sampleSum(after, 'faceoff_run_duration_seconds_sum', duration) >= 0.9, method);
    }
    assert.equal(sampleSum(after, 'faceoff_queue_wait_seconds_count', { queue: 'faceoff-runs' }), 2);
    // The second run waited for the first one's slot.
    assert.ok(sampleSum(after, 'faceoff_queue_wait_seconds_sum', { queue: 'faceoff-runs' }) >= 0.9);
    assert.equal(sampleSum(after, 'faceoff_queue_jobs', { queue: 'faceoff-runs', state: 'active' }), 0);
    assert.equal(sampleSum(after, 'faceoff_trainer_failures_total'), 0);
  });

  it('counts crashes by kind, the retries they cause, and the runs that fail in the end', async () => {
    behave('crash', 10);
    const before = await read();
    const id = jobIdFrom(await send(COMPARE));
    await jobs.idle();
    const job = await repositories.jobs.getById(id);
    assert.deepEqual(
      job?.runs.map((r) => r.state),
      ['failed', 'failed'],
    );

    const after = await read();
    const moved = (name: string, labels: Record<string, string>) =>
      sampleSum(after, name, labels) - sampleSum(before, name, labels);
    // Two runs, two attempts each (FACEOFF_RUN_ATTEMPTS is 2 in tests).
    assert.equal(moved('faceoff_trainer_failures_total', { kind: 'crash' }), 4);
    assert.equal(moved('faceoff_runs_total', { state: 'retried' }), 2);
    assert.equal(moved('faceoff_runs_total', { state: 'failed' }), 2);
    assert.equal(moved('faceoff_runs_total', { state: 'started' }), 4);
    assert.equal(moved('faceoff_run_duration_seconds_count', { outcome: 'failed' }), 2);
    assert.equal(moved('faceoff_runs_total', { state: 'completed' }), 0);
  });

  it('counts a cancellation once per run, and the trainer it stopped', async () => {
    behave('hang', 10);
    const before = await read();
    const id = jobIdFrom(await send(COMPARE));
    await waitFor(
      'a run training',
      async () =>
        sampleSum(await read(), 'faceoff_queue_jobs', { queue: 'faceoff-runs', state: 'active' }) === 1,
      30_000,
    );
    await waitFor('the run marked running', async () =>
      (await repositories.jobs.getById(id))?.runs.some((r) => r.state === 'running'),
    );
    const cancelled = await send(`/faceoff cancel ${id}`);
    assert.match(cancelled[0]?.text ?? '', /Cancelling/);
    await jobs.idle();

    const after = await read();
    const moved = (name: string, labels: Record<string, string>) =>
      sampleSum(after, name, labels) - sampleSum(before, name, labels);
    assert.equal(moved('faceoff_runs_total', { state: 'cancelled' }), 2);
    assert.equal(moved('faceoff_trainer_failures_total', { kind: 'cancelled' }), 1);
    assert.equal(moved('faceoff_runs_total', { state: 'failed' }), 0);
  });
});
