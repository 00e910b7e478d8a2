/**
 * The real stack behind the real discord.js client: embedded database, the real Redis under a unique
 * prefix, the job system with its in-process worker running the fast fake trainer, the engine, and the
 * Discord adapter connected to a local fake Discord.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from 'canvas';
import { type RunningDiscord, startDiscord } from '../../../bots/discord/runner';
import { RoutingNotifier } from '../../../bots/routing-notifier';
import { type JobSystem, startJobSystem } from '../../../jobs/runtime';
import type { Reply } from '../../../src/chat/replies';
import { ConversationEngine } from '../../../src/conversation/engine';
import {
  createRepositories,
  type Database,
  openDatabase,
  type Repositories,
} from '../../../src/persistence/index';
import { FAKE_TRAINER_PATH } from '../../fixtures/trainers/fake-runs';
import { deleteRedisKeys, testJobsConfig } from '../../support/test-services';
import { FakeDiscord } from './fake-discord';
import { IDS } from './payloads';

export const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDEwMA.fake.token';

/** A small real PNG, standing in for a rendered chart. */
export function chartPng(label: string): Uint8Array {
  const canvas = createCanvas(160, 80);
  const g = canvas.getContext('2d');
  g.fillStyle = '#5865f2';
  g.fillRect(10, 20, 60, 50);
  g.fillStyle = '#ed4245';
  g.fillRect(90, 40, 60, 30);
  g.fillText(label, 10, 12);
  return new Uint8Array(canvas.toBuffer('image/png'));
}

export interface DiscordStack {
  fake: FakeDiscord;
  db: Database;
  repositories: Repositories;
  jobs: JobSystem;
  discord: RunningDiscord;
  logs: string[];
  close(): Promise<void>;
}

export async function startDiscordStack(options: { dispatchRoleIds?: string[] } = {}): Promise<DiscordStack> {
  process.env.FAKE_TRAINER_BEHAVIOUR = 'succeed';
  process.env.FACEOFF_TRAINER_ENV = 'FAKE_TRAINER_BEHAVIOUR';
  process.env.HF_HUB_OFFLINE = '1';
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-discord-'));
  const prefix = `faceoff-test-${randomBytes(4).toString('hex')}`;
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);
  const fake = await FakeDiscord.start();
  const db = await openDatabase({ url: `file:${join(dir, 'db')}` });
  const repositories = createRepositories(db.prisma);
  const notifier = new RoutingNotifier();
  const jobs = await startJobSystem({
    config: testJobsConfig(dir, prefix, { attempts: 1, backoffMs: 5000, trainerPath: FAKE_TRAINER_PATH }),
    repositories,
    notifier,
    charts: {
      render: async ({ jobId }) => [
        {
          filename: `${jobId}-loss.png`,
          png: chartPng('loss'),
          altText: 'Validation loss by step, LoRA and full',
          title: 'Loss curves',
        },
        { filename: `${jobId}-cost.png`, png: chartPng('cost'), altText: 'Cost per method', title: 'Cost' },
      ],
    },
    allowEmbeddedRedis: false,
    log,
  });
  const engine = new ConversationEngine({
    sessions: repositories.sessions,
    decisions: repositories.decisions,
    teams: repositories.teams,
    sessionTtlMs: 3_600_000,
    commands: jobs.commands,
    onFile: jobs.onFile,
    decorateDecision: async (): Promise<Reply[]> => [
      {
        text: '*Weighted scores*',
        images: [
          {
            filename: 'scores.png',
            png: chartPng('scores'),
            altText: 'LoRA and full fine-tuning scores by criterion',
          },
        ],
      },
    ],
  });
  const discord = await startDiscord(
    { engine, repositories, notifier },
    {
      token: TOKEN,
      applicationId: IDS.bot,
      apiUrl: fake.apiUrl,
      dispatchRoleIds: options.dispatchRoleIds ?? [IDS.dispatchRole],
    },
    { restRetries: 0, log, readyTimeoutMs: 10_000 },
  );
  return {
    fake,
    db,
    repositories,
    jobs,
    discord,
    logs,
    close: async () => {
      await discord.stop();
      await jobs.close();
      await db.close();
      await fake.close();
      await deleteRedisKeys(prefix);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
