/**
 * The real stack behind the real discord.js client: embedded database, the real Redis under a unique
 * prefix, the job system with its in-process worker running the fast fake trainer, the engine, and the
 * Discord adapter connected to a local fake Discord.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FaceoffApp, startFaceoff } from '../../../bots/compose';
import type { DiscordShards } from '../../../bots/discord/config';
import { type RunningDiscord, startDiscord } from '../../../bots/discord/runner';
import type { JobSystem } from '../../../jobs/runtime';
import type { Database, Repositories } from '../../../src/persistence/index';
import { FAKE_TRAINER_PATH } from '../../fixtures/trainers/fake-runs';
import { testCharts } from '../../support/test-charts';
import { deleteRedisKeys, testJobsConfig } from '../../support/test-services';
import { FakeDiscord, type FakeDiscordOptions } from './fake-discord';
import { IDS } from './payloads';

export const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDEwMA.fake.token';

export { chartPng } from '../../support/test-charts';

export interface DiscordStack {
  fake: FakeDiscord;
  /** The conversation engine the adapter feeds (its access rules and platform capabilities). */
  engine: FaceoffApp['engine'];
  db: Database;
  repositories: Repositories;
  jobs: JobSystem;
  discord: RunningDiscord;
  /** Job notices go through it to the adapter (as the job system posts them). */
  notifier: FaceoffApp['notifier'];
  logs: string[];
  close(): Promise<void>;
}

export interface DiscordStackOptions {
  dispatchRoleIds?: string[];
  maxUploadBytes?: number;
  /** FACEOFF_DISCORD_SHARDS as read: the shards the client runs. */
  shards?: DiscordShards;
  /** The servers the bot is in (GUILD_CREATE payloads); default the test server. */
  guilds?: Record<string, unknown>[];
  fake?: FakeDiscordOptions;
}

export async function startDiscordStack(options: DiscordStackOptions = {}): Promise<DiscordStack> {
  process.env.FAKE_TRAINER_BEHAVIOUR = 'succeed';
  process.env.HF_HUB_OFFLINE = '1';
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-discord-'));
  const prefix = `faceoff-test-${randomBytes(4).toString('hex')}`;
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);
  const fake = await FakeDiscord.start(options.guilds, options.fake);
  const app = await startFaceoff({
    platform: 'server',
    databaseUrl: `file:${join(dir, 'db')}`,
    sessionTtlMs: 3_600_000,
    outDir: join(dir, 'out'),
    jobsConfig: testJobsConfig(dir, prefix, { attempts: 1, backoffMs: 5000, trainerPath: FAKE_TRAINER_PATH }),
    charts: testCharts,
    log,
  });
  const { database: db, repositories } = app;
  const jobs = app.jobs as JobSystem;
  const discord = await startDiscord(
    app,
    {
      token: TOKEN,
      applicationId: IDS.bot,
      apiUrl: fake.apiUrl,
      dispatchRoleIds: options.dispatchRoleIds ?? [IDS.dispatchRole],
      ...(options.maxUploadBytes ? { maxUploadBytes: options.maxUploadBytes } : {}),
      ...(options.shards ? { shards: options.shards } : {}),
    },
    { restRetries: 0, log, readyTimeoutMs: 10_000 },
  );
  return {
    fake,
    engine: app.engine,
    db,
    repositories,
    jobs,
    discord,
    notifier: app.notifier,
    logs,
    close: async () => {
      await discord.stop();
      await app.close();
      await fake.close();
      await deleteRedisKeys(prefix);
      rmSync(dir, { recursive: true, force: true });
      fake.assertNoRejections();
    },
  };
}
