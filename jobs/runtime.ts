import type { JobCharts } from '../src/charts/reply-charts';
import type { FileEvent } from '../src/chat/incoming';
import type { Reply } from '../src/chat/replies';
import type { CommandHandlers } from '../src/commands/registry';
import { comparisonCommands } from '../src/comparison/commands';
import type { Notifier } from '../src/comparison/ports';
import type { RunMetrics } from '../src/comparison/run-metrics';
import { ComparisonService } from '../src/comparison/service';
import { ComparisonTracker } from '../src/comparison/tracker';
import type { DecisionEvidence } from '../src/conversation/engine';
import type { Repositories } from '../src/persistence/index';
import { ArchiveAdapterPackager } from './adapter-packager';
import { CancellationRegistry } from './cancellation';
import type { JobsConfig } from './config';
import { startControlPlane } from './control-plane';
import { registerSharedDataset } from './datasets';
import { BullComparisonDispatcher } from './dispatcher';
import { type EmbeddedRedis, startEmbeddedRedis } from './embedded-redis';
import type { WorkerMetrics } from './job-metrics';
import { createLearningRatePlanner } from './lr-grid';
import { FileModelPolicy } from './model-policy';
import type { ReconcileReport } from './reconcile';
import { type RedisConnectionOptions, waitForRedis } from './redis-connection';
import { bucketStore } from './storage/storage-config';
import { startRunWorker } from './worker/worker';

export interface JobSystemOptions {
  config: JobsConfig;
  repositories: Repositories;
  notifier: Notifier;
  /** Charts for results and announcements; tables only when absent. */
  charts?: JobCharts;
  /**
   * Without REDIS_URL, start a private redis-server: `temporary` (the demo, the tests: nothing kept)
   * or in a data directory that keeps the queue across restarts (`npm start`); `false` requires it.
   */
  embeddedRedis: false | 'temporary' | { dataDir: string };
  log?: (message: string) => void;
  /** A log per component (`control-plane`, `worker`); every component logs to `log` without it. */
  logFor?: (component: string) => (message: string) => void;
  /** Records run state changes, queue waits and trainer failures (nothing recorded when absent). */
  metrics?: RunMetrics & WorkerMetrics;
}

export interface JobSystem {
  commands: CommandHandlers;
  /** Measurements of finished comparisons a decision can use. */
  evidence: DecisionEvidence;
  /** Registers a JSONL dataset shared in a conversation. */
  onFile: (event: FileEvent) => Promise<Reply[]>;
  tracker: ComparisonTracker;
  /** Where the queues are (for operators' views: queue depth, the dashboard). */
  queues: { connection: RedisConnectionOptions; prefix: string };
  /** Resolves when every comparison dispatched by this process has ended and been announced. */
  idle(): Promise<void>;
  /** Reconciles open jobs with the queue now (start and a timer do it too). */
  reconcile(graceMs?: number): Promise<ReconcileReport>;
  close(): Promise<void>;
}

/** Wires the queue: dispatcher, control plane, tracker and (when configured) an in-process worker. */
export async function startJobSystem(options: JobSystemOptions): Promise<JobSystem> {
  const { config, repositories } = options;
  const log = options.log ?? ((m: string) => console.error(m));
  const logFor = options.logFor ?? (() => log);
  const metrics = options.metrics;
  let embedded: EmbeddedRedis | undefined;
  let url = config.redisUrl;
  if (!url) {
    if (!options.embeddedRedis)
      throw new Error(
        'REDIS_URL is not set: the job system needs Redis (e.g. REDIS_URL=redis://127.0.0.1:6379).',
      );
    embedded = await startEmbeddedRedis(
      log,
      options.embeddedRedis === 'temporary' ? {} : { dataDir: options.embeddedRedis.dataDir },
    );
    url = embedded.url;
  }
  const connection = await waitForRedis(url, { log });
  const cancellation = new CancellationRegistry({ connection, prefix: config.prefix, log });
  const dispatcher = new BullComparisonDispatcher(connection, config.prefix, cancellation, {
    attempts: config.attempts,
    backoffMs: config.backoffMs,
    teamPriorities: config.teamPriorities,
    teamConcurrency: config.teamConcurrency,
    trainerDefaults: config.trainerDefaults,
  });
  const dispatched = new Set<string>();
  const models = new FileModelPolicy(config.models);
  const bucket = bucketStore(config.storage);
  const storage = bucket
    ? {
        store: bucket,
        cacheDir: config.storage.cacheDir,
        uploadFullWeights: config.storage.uploadFullWeights,
      }
    : undefined;
  const planner = createLearningRatePlanner();
  const tracker = new ComparisonTracker({
    repositories,
    stages: { dispatcher, datasets: repositories.datasets },
    learningRates: { repository: repositories.learningRates, bucketOf: (model) => planner.bucket(model) },
    notifier: options.notifier,
    progressIntervalMs: config.progressIntervalMs,
    ...(options.charts ? { charts: options.charts } : {}),
    ...(metrics ? { metrics } : {}),
    log: logFor('control-plane'),
  });
  const service = new ComparisonService({
    repositories,
    adapters: new ArchiveAdapterPackager({
      ...(bucket ? { store: bucket } : {}),
      cacheDir: config.storage.cacheDir,
      linkSeconds: config.storage.linkSeconds,
    }),
    dispatcher: {
      dispatch: async (input) => {
        dispatched.add(input.comparisonId);
        await dispatcher.dispatch(input);
      },
      cancel: (id, queueJobIds) => dispatcher.cancel(id, queueJobIds),
    },
    planner,
    admins: config.admins,
    ...(options.charts ? { charts: options.charts } : {}),
    quota: config.quota,
    models,
    ...(metrics ? { metrics } : {}),
    ...(config.sweepTest ? { sweepTest: config.sweepTest } : {}),
  });
  const controlPlane = startControlPlane({
    connection,
    prefix: config.prefix,
    tracker,
    reconcile: { jobs: repositories.jobs, ...config.reconcile },
    log: logFor('control-plane'),
  });
  await controlPlane.ready();
  tracker.start();
  const worker = config.embeddedWorker
    ? await startRunWorker({
        connection,
        prefix: config.prefix,
        artifactDir: config.artifactDir,
        python: config.python,
        ...(config.trainerPath ? { trainerPath: config.trainerPath } : {}),
        models,
        ...(metrics ? { metrics } : {}),
        ...(storage ? { storage } : {}),
        log: logFor('worker'),
      })
    : undefined;

  const idle = async () => {
    for (;;) {
      const open = [];
      for (const id of dispatched) {
        const job = await repositories.jobs.getById(id);
        if (job && (!job.announcedAt || ['queued', 'running'].includes(job.state))) open.push(id);
      }
      if (!open.length) return tracker.drain();
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  return {
    commands: comparisonCommands(service),
    evidence: (team, jobId) => service.decisionEvidence(team, jobId),
    onFile: (event) =>
      registerSharedDataset(event, {
        datasets: repositories.datasets,
        directory: config.datasetDir,
        ...(bucket ? { store: bucket } : {}),
        python: config.python,
      }),
    tracker,
    queues: { connection, prefix: config.prefix },
    idle,
    reconcile: (graceMs) => controlPlane.reconcileNow(graceMs),
    close: async () => {
      await tracker.stop();
      await worker?.close();
      await controlPlane.close();
      await dispatcher.close();
      await cancellation.close();
      await embedded?.stop();
    },
  };
}
