/**
 * Two Slack bot replicas in HTTP mode behind a round-robin load balancer on 127.0.0.1, serving one
 * workspace: each a full app (composition root, Bolt HTTP receiver on its own port, job control
 * plane, outbox sender), sharing one PostgreSQL database and one Redis, with a separate worker
 * running the fake trainer. Which replica's outbox sender posts a notice is steered by pausing the
 * other one's, so that the progress provably goes through both, and through a restarted one.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LogLevel } from '@slack/bolt';
import { type FaceoffApp, startFaceoff } from '../../../bots/compose';
import { type SlackAdapter, startSlackAdapter } from '../../../bots/slack/adapter';
import { redisConnectionOptions } from '../../../jobs/redis-connection';
import type { JobSystem } from '../../../jobs/runtime';
import { type RunWorker, startRunWorker } from '../../../jobs/worker/worker';
import { FAKE_TRAINER_PATH } from '../../fixtures/trainers/fake-runs';
import { type Backend, postgresBackend } from '../../persistence/backends';
import { waitFor } from '../../support/harness';
import { latestJobIn } from '../../support/job-lookup';
import { type RoundRobinProxy, startRoundRobinProxy } from '../../support/round-robin-proxy';
import { testCharts } from '../../support/test-charts';
import { deleteRedisKeys, TEST_REDIS_URL, testJobsConfig } from '../../support/test-services';
import { FakeSlack } from './support/fake-slack';
import { CHANNEL, form, SlackPayloads, signedPost, TEAM } from './support/slack-requests';
import { assertNoRejections } from './support/slack-stack';
import { testSlackConfig } from './support/slack-test-config';
import { channelPosts, threadPosts, updatesOf } from './support/thread-view';

const server = await postgresBackend();
const skip = 'skip' in server ? server.skip : false;

const NOTICES = 'C0NOTICES2';
const COMPARE = 'compare task=customer_service model=tiny seeds=1 max_steps=120 lr_sweep=off methods=lora';

interface Replica {
  name: string;
  app: FaceoffApp;
  adapter: SlackAdapter;
  /** The notices this replica's outbox sender posted, in order (their first line). */
  posted: string[];
  /** Stops this replica's outbox sender from taking notices (another replica posts them). */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

describe('Slack replicas behind a load balancer', { skip, timeout: 180_000 }, () => {
  let backend: Backend;
  let fake: FakeSlack;
  let proxy: RoundRobinProxy;
  let worker: RunWorker;
  let dir: string;
  let prefix: string;
  const replicas: Replica[] = [];
  const logs: string[] = [];

  async function startReplica(name: string): Promise<Replica> {
    const app = await startFaceoff({
      platform: 'server',
      databaseUrl: backend.url,
      sessionTtlMs: 3_600_000,
      outDir: join(dir, `out-${name}`),
      jobsConfig: testJobsConfig(dir, prefix, {
        trainerPath: FAKE_TRAINER_PATH,
        trainerDefaults: {},
        embeddedWorker: false,
      }),
      charts: testCharts,
      log: (m) => logs.push(`${name}: ${m}`),
    });
    let adapter: SlackAdapter;
    try {
      adapter = await startSlackAdapter(app, testSlackConfig(fake), {
        port: 0,
        logLevel: LogLevel.ERROR,
        apiRetries: 0,
        log: (m) => logs.push(`${name}: ${m}`),
      });
    } catch (e) {
      await app.close();
      throw e;
    }
    const posted: string[] = [];
    const notify = app.notifier.post.bind(app.notifier);
    app.notifier.post = async (key, reply) => {
      await notify(key, reply);
      posted.push(reply.text.split('\n')[0] ?? '');
    };
    const sender = (app.jobs as JobSystem).tracker.sender;
    const kick = sender.kick;
    return {
      name,
      app,
      adapter,
      posted,
      pause: () => {
        sender.stop();
        sender.kick = () => Promise.resolve();
      },
      resume: () => {
        sender.kick = kick;
        sender.start();
      },
      close: async () => {
        await adapter.stop();
        await app.close();
      },
    };
  }

  before(async () => {
    if ('skip' in server) return;
    backend = server.backend;
    process.env.FAKE_TRAINER_BEHAVIOUR = 'succeed';
    // 120 steps of 250 ms: the run still goes when the restarted replica is up, under load too.
    process.env.FAKE_TRAINER_STEP_MS = '250';
    dir = mkdtempSync(join(tmpdir(), 'faceoff-replicas-'));
    prefix = `faceoff-test-replicas-${randomBytes(4).toString('hex')}`;
    fake = await FakeSlack.start();
    replicas.push(await startReplica('a'), await startReplica('b'));
    proxy = await startRoundRobinProxy(replicas.map((r) => r.adapter.port as number));
    worker = await startRunWorker({
      connection: redisConnectionOptions(TEST_REDIS_URL),
      prefix,
      artifactDir: join(dir, 'artifacts'),
      python: process.env.FACEOFF_PYTHON ?? 'python3',
      trainerPath: FAKE_TRAINER_PATH,
      progressIntervalMs: 200,
    });
  });

  after(async () => {
    await worker?.close();
    for (const replica of replicas) await replica.close().catch(() => undefined);
    await proxy?.close();
    await fake?.close();
    if (prefix) await deleteRedisKeys(prefix);
    await backend?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
    Reflect.deleteProperty(process.env, 'FAKE_TRAINER_STEP_MS');
  });

  const progressOf = (replica: Replica, id: string) =>
    replica.posted.filter((line) => line.includes(`Comparison ${id}*:`)).length;

  /** Lets only `active` post notices until one more progress of the job went through it. */
  async function progressThrough(active: Replica, id: string): Promise<void> {
    for (const r of replicas) if (r !== active) r.pause();
    active.resume();
    const before = progressOf(active, id);
    await waitFor(
      `a progress notice posted by replica ${active.name}`,
      async () => progressOf(active, id) > before,
      30_000,
    );
  }

  it('edits one progress message from both replicas and a restarted one, and announces once', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const payloads = new SlackPayloads(fake.base);
    const events = `${proxy.url}/slack/events`;
    const subscribe = await signedPost(
      events,
      form(payloads.slashCommand('subscribe', { channel_id: NOTICES })),
      'application/x-www-form-urlencoded',
    );
    assert.equal(subscribe.status, 200);
    // The comparison is started through one replica; Slack's retry of the same command reaches the other.
    b.pause();
    const command = payloads.slashCommand(COMPARE);
    const started = await signedPost(events, form(command), 'application/x-www-form-urlencoded');
    assert.equal(started.status, 200);
    const retried = await signedPost(events, form(command), 'application/x-www-form-urlencoded', {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    assert.equal(retried.status, 200);
    assert.deepEqual(proxy.routed, [0, 1, 0], 'subscribe went to a, the command to b, its retry to a');
    await waitFor('the thread root', async () => channelPosts(fake, CHANNEL).at(-1), 10_000);
    const root = channelPosts(fake, CHANNEL).at(-1);
    assert.ok(root);
    const id = await waitFor(
      'the queued job',
      () =>
        latestJobIn(a.app.repositories, {
          platform: 'slack',
          workspace: TEAM,
          channel: CHANNEL,
          thread: root.ts,
        }).catch(() => undefined),
      10_000,
    );
    assert.equal(channelPosts(fake, CHANNEL).length, 1, 'the retried command started nothing');
    assert.equal((await a.app.repositories.jobs.listRecent(`slack:${TEAM}`, 10)).length, 1, 'one job');

    // The first progress is posted by a, the next edits by b, then a again, then a restarted a.
    await progressThrough(a, id);
    await progressThrough(b, id);
    await progressThrough(a, id);
    b.pause();
    await a.close();
    replicas.splice(0, 1);
    const restarted = await startReplica('a2');
    replicas.unshift(restarted);
    proxy.setBackend(0, restarted.adapter.port as number);
    await progressThrough(restarted, id);
    const job = await restarted.app.repositories.jobs.getById(id);
    assert.equal(
      job?.state,
      'running',
      'the job was still running when the restarted replica edited its progress',
    );

    // Both replicas post freely until the comparison ends.
    for (const r of replicas) r.resume();
    const finished = await waitFor(
      'the completion announcement',
      async () => threadPosts(fake, root.ts).find((p) => p.text.startsWith(`Comparison ${id} finished`)),
      90_000,
    );
    assert.ok(finished);
    await waitFor(
      'the subscribers notice',
      async () => channelPosts(fake, NOTICES).find((p) => p.text.includes(`Comparison ${id}`)),
      30_000,
    );
    for (const r of replicas) await r.app.jobs?.tracker.drain();
    await new Promise((r) => setTimeout(r, 1500)); // time for a second announcement, were there one

    const progressPosts = fake
      .callsTo('chat.postMessage')
      .filter((c) => String(c.args.text ?? '').startsWith(`Comparison ${id}:`));
    assert.equal(progressPosts.length, 1, 'one progress message was posted');
    const progressTs = String(progressPosts[0]?.result.ts);
    const progressEdits = fake
      .callsTo('chat.update')
      .filter((c) => String(c.args.text ?? '').startsWith(`Comparison ${id}:`));
    assert.ok(progressEdits.length >= 3, `progress edited in place (${progressEdits.length} edits)`);
    assert.deepEqual(
      [...new Set(progressEdits.map((c) => c.args.ts))],
      [progressTs],
      'every progress edit went to that one message',
    );
    assert.equal(updatesOf(fake, progressTs).length, progressEdits.length);
    assert.equal(
      threadPosts(fake, root.ts).filter((p) => p.text.startsWith(`Comparison ${id} finished`)).length,
      1,
      'announced once',
    );
    assert.equal(
      channelPosts(fake, NOTICES).filter((p) => p.text.includes(`Comparison ${id}`)).length,
      1,
      'subscribers told once',
    );
    const notices = await restarted.app.repositories.outbox.forJob(id);
    assert.ok(
      notices.every((n) => n.state === 'sent'),
      notices.map((n) => `${n.key}: ${n.state}`).join(', '),
    );
    assert.deepEqual(
      logs.filter((l) => /outbox: (could not|gave up)|slack: /.test(l)),
      [],
      'no failed post',
    );
    assertNoRejections(fake);
  });
});
