/**
 * The Slack adapter on the real stack, as bots/compose.ts wires it: a fresh embedded database, the
 * real Redis under a unique key prefix, the job system with an in-process worker running the fast
 * fake trainer, and the real Bolt app talking to the local Slack stand-in. Charts are a fixed PNG
 * (rendering them is tested with the chart code).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogLevel } from '@slack/bolt';
import { RoutingNotifier } from '../../../../bots/routing-notifier';
import { type SlackAdapter, startSlackAdapter } from '../../../../bots/slack/adapter';
import type { SlackConfig } from '../../../../bots/slack/config';
import { type JobSystem, startJobSystem } from '../../../../jobs/runtime';
import type { ImageAttachment } from '../../../../src/chat/replies';
import { ConversationEngine } from '../../../../src/conversation/engine';
import {
  createRepositories,
  type Database,
  openDatabase,
  type Repositories,
} from '../../../../src/persistence/index';
import { FAKE_TRAINER_PATH } from '../../../fixtures/trainers/fake-runs';
import { deleteRedisKeys, testJobsConfig } from '../../../support/test-services';
import { BOT_TOKEN, FakeSlack } from './fake-slack';
import {
  type Answer,
  form,
  interaction,
  type PostOptions,
  SIGNING_SECRET,
  SlackPayloads,
  signedPost,
} from './slack-requests';

/** A 1x1 PNG standing in for rendered charts. */
export const PNG = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
);
const chart = (filename: string, title: string): ImageAttachment => ({
  filename,
  png: PNG,
  altText: `${title} chart`,
  title,
});

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
}

export async function startSlackStack(options: StackOptions = {}): Promise<SlackStack> {
  process.env.FAKE_TRAINER_BEHAVIOUR = 'succeed';
  process.env.FACEOFF_TRAINER_ENV = 'FAKE_TRAINER_BEHAVIOUR';
  const fake = await FakeSlack.start();
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-slack-'));
  const prefix = `faceoff-test-slack-${randomBytes(4).toString('hex')}`;
  let db: Database | undefined;
  let jobs: JobSystem | undefined;
  let adapter: SlackAdapter | undefined;
  const cleanup = async () => {
    await adapter?.stop();
    await jobs?.close();
    await db?.close();
    await deleteRedisKeys(prefix);
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    db = await openDatabase({ url: `file:${join(dir, 'db')}` });
    const repositories = createRepositories(db.prisma);
    const notifier = new RoutingNotifier();
    jobs = await startJobSystem({
      config: testJobsConfig(dir, prefix, { trainerPath: FAKE_TRAINER_PATH, trainerDefaults: {} }),
      repositories,
      notifier,
      charts: {
        render: async () => [chart('loss-curves.png', 'Loss curves'), chart('scores.png', 'Scores')],
      },
      allowEmbeddedRedis: false,
      log: () => {},
    });
    const engine = new ConversationEngine({
      sessions: repositories.sessions,
      decisions: repositories.decisions,
      teams: repositories.teams,
      sessionTtlMs: 3_600_000,
      commands: jobs.commands,
      onFile: jobs.onFile,
      decorateDecision: async () => [
        { text: '*Weighted scores*', images: [chart('decision-scores.png', 'Weighted scores')] },
      ],
    });
    const config: SlackConfig = {
      transport: { kind: 'http', port: 0 },
      auth: { kind: 'token', botToken: BOT_TOKEN },
      signingSecret: SIGNING_SECRET,
      apiUrl: fake.apiUrl,
      dispatchers: [],
      dispatchGroup: undefined,
      installPort: undefined,
      ...options.config,
    };
    const logs: string[] = [];
    adapter = await startSlackAdapter({ engine, repositories, notifier }, config, {
      port: 0,
      logLevel: LogLevel.ERROR,
      apiRetries: 0,
      log: (m) => logs.push(m),
    });
    const url = `http://127.0.0.1:${adapter.port}/slack/events`;
    const started = adapter;
    const opened = db;
    const post = (body: string, contentType: string, opts?: PostOptions) =>
      signedPost(url, body, contentType, opts);
    const payloads = new SlackPayloads(fake.base);
    return {
      fake,
      adapter: started,
      db: opened,
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
      close: cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
