import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaceoff } from '../../bots/compose';
import type { JobsConfig } from '../../jobs/config';
import type { JobSystem } from '../../jobs/runtime';
import type { ConversationRef } from '../../src/chat/conversation';
import type { IncomingEvent, UserRef } from '../../src/chat/incoming';
import type { Reply } from '../../src/chat/replies';
import type { ConversationEngine } from '../../src/conversation/engine';
import type { Database, Repositories } from '../../src/persistence/index';
import { RecordingNotifier } from './recording-notifier';
import { testCharts } from './test-charts';
import { deleteRedisKeys, testJobsConfig } from './test-services';

export { TEST_REDIS_URL } from './test-services';

export interface Harness {
  /** The run's scratch directory (database, artifacts, datasets, `models/`). */
  dir: string;
  db: Database;
  repositories: Repositories;
  engine: ConversationEngine;
  jobs: JobSystem;
  notifier: RecordingNotifier;
  prefix: string;
  send(text: string, user?: UserRef, conversation?: ConversationRef): Promise<Reply[]>;
  close(): Promise<void>;
}

export const CONSOLE: ConversationRef = { platform: 'console', workspace: 'test', channel: 'c1' };

/**
 * The real stack through the composition root: a fresh embedded database, the real Redis under a
 * unique prefix, the real worker; console notices are recorded.
 */
export async function startHarness(overrides: Partial<JobsConfig> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-test-'));
  const prefix = `faceoff-test-${randomBytes(4).toString('hex')}`;
  const app = await startFaceoff({
    platform: 'server',
    databaseUrl: `file:${join(dir, 'db')}`,
    sessionTtlMs: 3_600_000,
    outDir: join(dir, 'out'),
    jobsConfig: testJobsConfig(dir, prefix, { trainerPath: undefined, ...overrides }),
    charts: testCharts,
    log: () => {},
  });
  const notifier = new RecordingNotifier();
  app.notifier.register('console', (key, reply) => notifier.post(key, reply));
  const { engine, repositories, database: db } = app;
  const jobs = app.jobs as JobSystem;
  const send = (text: string, user: UserRef = { id: 'alice' }, conversation: ConversationRef = CONSOLE) => {
    const event: IncomingEvent = { kind: 'command', text, user, conversation };
    return engine.handle(event);
  };
  return {
    dir,
    db,
    repositories,
    engine,
    jobs,
    notifier,
    prefix,
    send,
    close: async () => {
      await app.close();
      await deleteRedisKeys(prefix);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The id of the job a reply says was queued (replies carry it as data). */
export function jobIdFrom(replies: Reply[]): string {
  const id = replies.find((r) => r.refs?.jobId)?.refs?.jobId;
  if (!id) throw new Error(`no job id in: ${replies.map((r) => r.text).join('\n')}`);
  return id;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
