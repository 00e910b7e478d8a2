/**
 * `npm run worker`: a GPU worker process. Settings come from the environment:
 *   REDIS_URL (redis://127.0.0.1:6379), FACEOFF_QUEUE_PREFIX (faceoff), FACEOFF_GPU_SLOTS (count or
 *   indexes; default: nvidia-smi, else 1 CPU slot), FACEOFF_ARTIFACT_DIR (.data/artifacts),
 *   FACEOFF_PYTHON (python3), FACEOFF_TRAINER_PATH (jobs/trainer), FACEOFF_MODEL_ALLOW and
 *   FACEOFF_MODEL_ROOTS (which models runs may load), FACEOFF_DATASET_DIR, the bucket shared with
 *   the bot (FACEOFF_S3_* and AWS credentials; storage-config.ts) with FACEOFF_STAGING_DIR, and for tuning
 *   FACEOFF_LOCK_DURATION_MS, FACEOFF_STALLED_INTERVAL_MS, FACEOFF_TRAINER_GRACE_MS.
 * Logs are JSON lines on stdout (FACEOFF_LOG_LEVEL); metrics and the queue dashboard are served as
 * FACEOFF_METRICS_* and FACEOFF_DASHBOARD_* say.
 * SIGINT/SIGTERM: stop taking jobs, stop running trainers (their jobs return to the queue), exit.
 */
import { createOperationsOrExit } from '../../ops/operations';
import { FileModelPolicy, readModelPolicySettings } from '../model-policy';
import { DEFAULT_REDIS_URL, waitForRedis } from '../redis-connection';
import { bucketStore, readStorageSettings } from '../storage/storage-config';
import { describeSlots, detectSlots } from './slots';
import { type RunWorker, startRunWorker } from './worker';

const operations = createOperationsOrExit('worker');
const log = operations.log('worker');

function numberFromEnv(name: string): number | undefined {
  const value = process.env[name]?.trim();
  if (!value) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new Error(`${name} must be a positive number, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const stopping = new AbortController();
  let running: RunWorker | undefined;
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      log(`${signal} again: exiting now`);
      process.exit(1);
    }
    log(`${signal}: stopping (running trainers are stopped and their jobs go back to the queue)`);
    stopping.abort();
    void Promise.all([running?.close(), operations.close()])
      .then(() => {
        log('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        log(`error while stopping: ${String(error)}`);
        process.exit(1);
      });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const url = process.env.REDIS_URL?.trim() || DEFAULT_REDIS_URL;
  const connection = await waitForRedis(url, { log, signal: stopping.signal });
  const prefix = process.env.FACEOFF_QUEUE_PREFIX?.trim() || 'faceoff';
  const slots = await detectSlots();
  log(`slots: ${describeSlots(slots)}`);
  const artifactDir = process.env.FACEOFF_ARTIFACT_DIR?.trim() || '.data/artifacts';
  const datasetDir = process.env.FACEOFF_DATASET_DIR?.trim() || '.data/datasets';
  const storage = readStorageSettings();
  const bucket = bucketStore(storage);
  log(bucket ? `storage: ${bucket.description}` : `storage: local directories (${artifactDir})`);
  running = await startRunWorker({
    ...(bucket
      ? {
          storage: {
            store: bucket,
            cacheDir: storage.cacheDir,
            uploadFullWeights: storage.uploadFullWeights,
          },
        }
      : {}),
    connection,
    prefix,
    artifactDir,
    models: new FileModelPolicy(readModelPolicySettings(process.env, [artifactDir, datasetDir])),
    python: process.env.FACEOFF_PYTHON?.trim() || 'python3',
    trainerPath: process.env.FACEOFF_TRAINER_PATH?.trim() || undefined,
    slots,
    lockDurationMs: numberFromEnv('FACEOFF_LOCK_DURATION_MS'),
    stalledIntervalMs: numberFromEnv('FACEOFF_STALLED_INTERVAL_MS'),
    graceMs: numberFromEnv('FACEOFF_TRAINER_GRACE_MS'),
    metrics: operations.metrics,
    log,
  });
  if (stopping.signal.aborted) {
    await running.close();
    await operations.close();
    process.exit(0);
  }
  await operations.serve({ connection, prefix });
}

main().catch((error: unknown) => {
  if (error instanceof Error && error.name === 'AbortError') {
    log('stopped before Redis was reachable');
    process.exit(0);
  }
  operations.logger
    .child({ component: 'worker' })
    .fatal(`fatal: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
