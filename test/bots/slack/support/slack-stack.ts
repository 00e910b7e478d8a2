/**
 * The Slack adapter on the real stack, as bots/compose.ts wires it: a fresh embedded database, the
 * real Redis under a unique key prefix, the job system with an in-process worker running the fast
 * fake trainer, and the real Bolt app talking to the local Slack stand-in, started through the
 * composition root. Charts are small fixed PNGs unless `charts` says otherwise (rendering them is
 * tested with the chart code).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogLevel } from '@slack/bolt';
import { type FaceoffApp, startFaceoff } from '../../../../bots/compose';
import type { InFlightOptions } from '../../../../bots/in-flight';
import type { RoutingNotifier } from '../../../../bots/routing-notifier';
import { type SlackAdapter, startSlackAdapter } from '../../../../bots/slack/adapter';
import type { SlackConfig } from '../../../../bots/slack/config';
import type { JobSystem } from '../../../../jobs/runtime';
import type { ReplyCharts } from '../../../../src/charts/reply-charts';
import type { Database, Repositories } from '../../../../src/persistence/index';
import { FAKE_TRAINER_PATH } from '../../../fixtures/trainers/fake-runs';
import { testCharts } from '../../../support/test-charts';
import { deleteRedisKeys, testJobsConfig } from '../../../support/test-services';
import { FakeSlack } from './fake-slack';
import { checkSlackMessage, checkSlackView, type SlackRejection } from './slack-limits';
import {
  type Answer,
  form,
  interaction,
  type PostOptions,
  SlackPayloads,
  signedPost,
} from './slack-requests';
import { testSlackConfig } from './slack-test-config';

export interface SlackStack {
  fake: FakeSlack;
  adapter: SlackAdapter;
  db: Database;
  repositories: Repositories;
  /** Job notices go through it to the adapter (as the job system posts them). */
  notifier: RoutingNotifier;
  jobs: JobSystem;
  payloads: SlackPayloads;
  logs: string[];
  /** POSTs a signed request to /slack/events. */
  post(body: string, contentType: string, options?: PostOptions): Promise<Answer>;
  command(text: string, over?: Record<string, unknown>, options?: PostOptions): Promise<Answer>;
  interact(payload: Record<string, unknown>, options?: PostOptions): Promise<Answer>;
  event(envelope: Record<string, unknown>, options?: PostOptions): Promise<Answer>;
  /** Waits until every handler started so far has finished. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  config?: Partial<SlackConfig>;
  /** How charts are drawn; default the small fixed PNGs of test/support/test-charts.ts. */
  charts?: ReplyCharts;
  /** The database; default a fresh embedded one in the stack's directory. */
  databaseUrl?: string;
  /** How the adapter schedules work after an acknowledgement (default: the adapter's). */
  inFlight?: InFlightOptions;
}

/** An acknowledgement body (`ack({...})`) is shown by Slack too: it is held to the same limits. */
function checkAck(fake: FakeSlack, answer: Answer): void {
  if (answer.status !== 200 || !answer.text.startsWith('{')) return;
  const body = JSON.parse(answer.text) as Record<string, unknown>;
  const view = body.view as Record<string, unknown> | undefined;
  const rejected: SlackRejection | undefined = view
    ? checkSlackView('ack', view)
    : checkSlackMessage('ack', body);
  if (rejected) fake.rejections.push({ method: 'ack', args: body, ...rejected });
}

/** Fails when the app sent anything real Slack would have refused for breaking a documented limit. */
export function assertNoRejections(fake: FakeSlack): void {
  if (!fake.rejections.length) return;
  const list = fake.rejections.map((r) => `${r.method}: ${r.error} ${r.errors.join('; ')}`);
  throw new Error(`Slack would have refused ${list.length} payload(s):\n${list.join('\n')}`);
}

export async function startSlackStack(options: StackOptions = {}): Promise<SlackStack> {
  process.env.FAKE_TRAINER_BEHAVIOUR = 'succeed';
  const fake = await FakeSlack.start();
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-slack-'));
  const prefix = `faceoff-test-slack-${randomBytes(4).toString('hex')}`;
  let app: FaceoffApp | undefined;
  let adapter: SlackAdapter | undefined;
  const cleanup = async () => {
    await adapter?.stop();
    await app?.close();
    await deleteRedisKeys(prefix);
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    app = await startFaceoff({
      platform: 'server',
      databaseUrl: options.databaseUrl ?? `file:${join(dir, 'db')}`,
      sessionTtlMs: 3_600_000,
      outDir: join(dir, 'out'),
      jobsConfig: testJobsConfig(dir, prefix, { trainerPath: FAKE_TRAINER_PATH, trainerDefaults: {} }),
      charts: options.charts ?? testCharts,
      log: () => {},
    });
    const { database: db, repositories, notifier } = app;
    const jobs = app.jobs as JobSystem;
    const config = testSlackConfig(fake, options.config);
    const logs: string[] = [];
    adapter = await startSlackAdapter(app, config, {
      port: 0,
      logLevel: LogLevel.ERROR,
      apiRetries: 0,
      log: (m) => logs.push(m),
      ...(options.inFlight ? { inFlight: options.inFlight } : {}),
    });
    const url = `http://127.0.0.1:${adapter.port}/slack/events`;
    const started = adapter;
    const post = async (body: string, contentType: string, opts?: PostOptions) => {
      const answer = await signedPost(url, body, contentType, opts);
      checkAck(fake, answer);
      return answer;
    };
    const payloads = new SlackPayloads(fake.base);
    return {
      fake,
      adapter: started,
      db,
      repositories,
      notifier,
      jobs,
      payloads,
      logs,
      post,
      command: (text, over, opts) =>
        post(form(payloads.slashCommand(text, over)), 'application/x-www-form-urlencoded', opts),
      interact: (payload, opts) => post(interaction(payload), 'application/x-www-form-urlencoded', opts),
      event: (envelope, opts) => post(JSON.stringify(envelope), 'application/json', opts),
      settle: async () => {
        for (let i = 0; i < 3; i++) {
          await new Promise((r) => setTimeout(r, 10));
          await started.settled();
        }
      },
      close: async () => {
        await cleanup();
        assertNoRejections(fake);
      },
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
