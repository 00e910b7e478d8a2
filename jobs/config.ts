/** Job-system configuration from the environment (REDIS_URL and FACEOFF_* variables). */

import { type QuotaSettings, readQuotaSettings } from '../src/comparison/quota/quota-settings';
import type { TeamLimit } from '../src/comparison/quota/team-limits';
import type { DispatchSettings } from './dispatcher';
import { type ModelPolicySettings, readModelPolicySettings } from './model-policy';
import { readStorageSettings, type StorageSettings } from './storage/storage-config';

export interface JobsConfig {
  /** Unset: the demo starts a private redis-server; `npm start` requires it. */
  redisUrl: string | undefined;
  prefix: string;
  attempts: number;
  backoffMs: number;
  progressIntervalMs: number;
  admins: string[];
  teamPriorities: Record<string, number>;
  /** Most runs of one team active at once across workers (0 = no limit), with per-team overrides. */
  teamConcurrency: TeamLimit;
  /** Runs per comparison, steps per run, runs at once and GPU-hours per month, per team. */
  quota: QuotaSettings;
  artifactDir: string;
  /** Where shared JSONL datasets are stored without a bucket; remote workers must then see the same path. */
  datasetDir: string;
  /** A bucket for datasets and artifacts (FACEOFF_S3_*), so workers need no shared disk. */
  storage: StorageSettings;
  python: string;
  /** Directory holding the trainer package (default jobs/trainer); FACEOFF_TRAINER_PATH. */
  trainerPath: string | undefined;
  /** Which models `model=` may name (FACEOFF_MODEL_ALLOW, FACEOFF_MODEL_ROOTS). */
  models: ModelPolicySettings;
  /** Run a worker inside the bot process (the demo does). */
  embeddedWorker: boolean;
  /** Trainer settings for every run (the environment sets batch, sequence, evaluation sizes). */
  trainerDefaults: NonNullable<DispatchSettings['trainerDefaults']>;
  /** How often open jobs are checked against the queue, and how long a run may go unseen first (ms). */
  reconcile: { intervalMs: number; graceMs: number };
  /**
   * FACEOFF_SWEEP_TEST: `chosen` evaluates a learning-rate sweep's test set only at the point
   * chosen (trained again on the first seed), `every` at every point; unset: `chosen` on every
   * model but the tiny family (plan.ts).
   */
  sweepTest: 'chosen' | 'every' | undefined;
}

function sweepTestSetting(raw: string | undefined): 'chosen' | 'every' | undefined {
  const value = raw?.trim().toLowerCase();
  if (!value) return undefined;
  if (value === 'chosen' || value === 'every') return value;
  throw new Error(`FACEOFF_SWEEP_TEST: "${raw?.trim().slice(0, 40)}" is not chosen or every`);
}

function int(
  env: Record<string, string | undefined>,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[key]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${key}: "${raw}" is not a whole number from ${min} to ${max}`);
  }
  return value;
}

function optionalInt(
  env: Record<string, string | undefined>,
  key: string,
  min: number,
  max: number,
): number | undefined {
  return env[key]?.trim() ? int(env, key, min, min, max) : undefined;
}

/** `slack:T1=1,discord:G2=5` -> { 'slack:T1': 1, 'discord:G2': 5 }. */
export function parseTeamPriorities(raw: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (raw ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    const priority = Number(part.slice(eq + 1));
    if (eq <= 0 || !Number.isInteger(priority) || priority < 1 || priority > 2_097_152) {
      throw new Error(
        `FACEOFF_TEAM_PRIORITIES: "${part}" is not team=priority (priority a whole number >= 1, 1 = first)`,
      );
    }
    out[part.slice(0, eq)] = priority;
  }
  return out;
}

export function readJobsConfig(env: Record<string, string | undefined> = process.env): JobsConfig {
  const batch = optionalInt(env, 'FACEOFF_BATCH_SIZE', 1, 4096);
  const seq = optionalInt(env, 'FACEOFF_SEQ_LEN', 16, 1 << 20);
  const evalSize = optionalInt(env, 'FACEOFF_EVAL_SIZE', 1, 1_000_000);
  const testSize = optionalInt(env, 'FACEOFF_TEST_SIZE', 1, 1_000_000);
  // Steps between training checkpoints (0: none); unset, the trainer picks (a quarter of the run, at most once a minute).
  const checkpointEvery = optionalInt(env, 'FACEOFF_CHECKPOINT_EVERY', 0, 1_000_000);
  const quota = readQuotaSettings(env);
  const artifactDir = env.FACEOFF_ARTIFACT_DIR?.trim() || '.data/artifacts';
  const datasetDir = env.FACEOFF_DATASET_DIR?.trim() || '.data/datasets';
  return {
    redisUrl: env.REDIS_URL?.trim() || undefined,
    prefix: env.FACEOFF_QUEUE_PREFIX?.trim() || 'faceoff',
    attempts: int(env, 'FACEOFF_RUN_ATTEMPTS', 3, 1, 20),
    backoffMs: int(env, 'FACEOFF_RETRY_BACKOFF_MS', 5000, 0, 3_600_000),
    progressIntervalMs: int(env, 'FACEOFF_PROGRESS_INTERVAL_MS', 5000, 0, 600_000),
    admins: (env.FACEOFF_ADMINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    teamPriorities: parseTeamPriorities(env.FACEOFF_TEAM_PRIORITIES),
    teamConcurrency: quota.concurrentRuns,
    quota,
    artifactDir,
    datasetDir,
    storage: readStorageSettings(env),
    models: readModelPolicySettings(env, [artifactDir, datasetDir]),
    python: env.FACEOFF_PYTHON?.trim() || 'python3',
    trainerPath: env.FACEOFF_TRAINER_PATH?.trim() || undefined,
    embeddedWorker: env.FACEOFF_EMBEDDED_WORKER !== '0',
    trainerDefaults: {
      ...(batch ? { batch_size: batch } : {}),
      ...(seq ? { seq_len: seq } : {}),
      ...(evalSize ? { eval_size: evalSize } : {}),
      ...(testSize ? { test_size: testSize } : {}),
      ...(checkpointEvery !== undefined ? { checkpoint_every: checkpointEvery } : {}),
    },
    reconcile: {
      intervalMs: int(env, 'FACEOFF_RECONCILE_INTERVAL_MS', 300_000, 1000, 86_400_000),
      graceMs: int(env, 'FACEOFF_RECONCILE_GRACE_MS', 120_000, 0, 86_400_000),
    },
    sweepTest: sweepTestSetting(env.FACEOFF_SWEEP_TEST),
  };
}
