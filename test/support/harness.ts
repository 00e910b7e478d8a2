import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobsConfig } from '../../jobs/config';
import { type JobSystem, startJobSystem } from '../../jobs/runtime';
import type { ConversationRef } from '../../src/chat/conversation';
import type { IncomingEvent, UserRef } from '../../src/chat/incoming';
import type { Reply } from '../../src/chat/replies';
import { ConversationEngine } from '../../src/conversation/engine';
import {
  createRepositories,
  type Database,
  openDatabase,
  type Repositories,
} from '../../src/persistence/index';
import { RecordingNotifier } from './recording-notifier';
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

/** The real stack on a fresh embedded database, the real Redis under a unique prefix, the real worker. */
export async function startHarness(overrides: Partial<JobsConfig> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-test-'));
  const prefix = `faceoff-test-${randomBytes(4).toString('hex')}`;
  const db = await openDatabase({ url: `file:${join(dir, 'db')}` });
  const repositories = createRepositories(db.prisma);
  const notifier = new RecordingNotifier();
  const config = testJobsConfig(dir, prefix, { trainerPath: undefined, ...overrides });
  const jobs = await startJobSystem({
    config,
    repositories,
    notifier,
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
  });
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
      await jobs.close();
      await db.close();
      await deleteRedisKeys(prefix);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function jobIdFrom(replies: Reply[]): string {
  const id = /Comparison (\w+)\*? queued/.exec(replies.map((r) => r.text).join('\n'))?.[1];
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
