import { type JobsConfig, readJobsConfig } from '../jobs/config';
import { type JobSystem, startJobSystem } from '../jobs/runtime';
import type { Observability } from '../ops/operations';
import { createPooledReplyCharts } from '../src/charts/chart-pool';
import type { ReplyCharts } from '../src/charts/reply-charts';
import type { Reply } from '../src/chat/replies';
import type { CoreConfig } from '../src/config';
import { ConversationEngine } from '../src/conversation/engine';
import { startHousekeeping } from '../src/persistence/housekeeping';
import { createRepositories, type Database, openDatabase, type Repositories } from '../src/persistence/index';
import { RoutingNotifier } from './routing-notifier';

export interface FaceoffApp {
  engine: ConversationEngine;
  database: Database;
  repositories: Repositories;
  notifier: RoutingNotifier;
  jobs: JobSystem | undefined;
  /** Logs by component and metrics, for the platform adapters; absent in tests that need none. */
  operations: Observability | undefined;
  /** Where console notices go (job progress and announcements). */
  setNotifier: (post: (reply: Reply) => Promise<void>) => void;
  /** Resolves when every job this process started has ended and been announced. */
  idle: () => Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions extends CoreConfig {
  platform: 'console' | 'server';
  /** Start the job system (queue, control plane, worker); default true. */
  withJobs?: boolean;
  log?: (message: string) => void;
  /** Job-system settings; default: read from the environment. */
  jobsConfig?: JobsConfig;
  /** How charts are drawn; default: chart.js on a pool of worker threads, closed with the app. */
  charts?: ReplyCharts;
  /** The process's logs and metrics (made at its root); `log` defaults to its `jobs` component. */
  operations?: Observability;
}

/** Where `npm start` keeps its private Redis when no REDIS_URL is set (FACEOFF_REDIS_DIR). */
export const EMBEDDED_REDIS_DIR = '.data/redis';

/** Opens the database, starts the job system and builds the conversation engine. */
export async function startFaceoff(options: StartOptions): Promise<FaceoffApp> {
  const { operations } = options;
  const log = options.log ?? operations?.log('jobs') ?? ((m: string) => console.error(m));
  const database = await openDatabase(options.databaseUrl ? { url: options.databaseUrl } : {});
  const repositories = createRepositories(database.prisma);
  const notifier = new RoutingNotifier();
  const pool = options.charts
    ? undefined
    : createPooledReplyCharts({ log: operations?.log('charts') ?? log });
  const charts = options.charts ?? (pool as ReplyCharts);
  let jobs: JobSystem | undefined;
  try {
    if (options.withJobs !== false) {
      jobs = await startJobSystem({
        config: options.jobsConfig ?? readJobsConfig(),
        repositories,
        notifier,
        charts,
        embeddedRedis:
          options.platform === 'console'
            ? 'temporary'
            : { dataDir: process.env.FACEOFF_REDIS_DIR?.trim() || EMBEDDED_REDIS_DIR },
        log,
        ...(operations ? { logFor: operations.log, metrics: operations.metrics } : {}),
      });
    }
  } catch (e) {
    await pool?.close();
    await database.close();
    throw e;
  }
  const housekeeping = startHousekeeping({
    deliveries: repositories.deliveries,
    sessions: repositories.sessions,
    outbox: repositories.outbox,
    postedMessages: repositories.postedMessages,
    log,
  });
  const engine = new ConversationEngine({
    sessions: repositories.sessions,
    decisions: repositories.decisions,
    teams: repositories.teams,
    sessionTtlMs: options.sessionTtlMs,
    commands: jobs?.commands ?? {},
    ...(jobs ? { onFile: jobs.onFile, evidence: jobs.evidence } : {}),
    charts,
  });
  return {
    engine,
    database,
    repositories,
    notifier,
    jobs,
    operations,
    setNotifier: (post) => notifier.register('console', (_key, reply) => post(reply)),
    idle: () => jobs?.idle() ?? Promise.resolve(),
    close: async () => {
      housekeeping.stop();
      await jobs?.close();
      await pool?.close();
      await database.close();
    },
  };
}
