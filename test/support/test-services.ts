import { join } from 'node:path';
import { Redis } from 'ioredis';
import { type JobsConfig, readJobsConfig } from '../../jobs/config';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Test sizes for runs of the tiny model: a small batch and sequence, 16 validation items, 8 test prompts. */
const TRAINER_DEFAULTS: JobsConfig['trainerDefaults'] = {
  batch_size: 8,
  seq_len: 128,
  eval_size: 16,
  test_size: 8,
};

/**
 * Job-system settings for tests: the real Redis under `prefix`, files under `dir`, fast retries;
 * local models may come from `<dir>/models`, hub ids from `faceoff-test/*`.
 */
export function testJobsConfig(dir: string, prefix: string, overrides: Partial<JobsConfig> = {}): JobsConfig {
  return {
    ...readJobsConfig({}),
    redisUrl: TEST_REDIS_URL,
    prefix,
    attempts: 2,
    backoffMs: 200,
    progressIntervalMs: 0,
    artifactDir: join(dir, 'artifacts'),
    datasetDir: join(dir, 'datasets'),
    python: process.env.FACEOFF_PYTHON ?? 'python3',
    embeddedWorker: true,
    trainerDefaults: TRAINER_DEFAULTS,
    models: {
      allow: ['faceoff-test/*'],
      roots: [join(dir, 'models')],
      forbidden: [join(dir, 'artifacts'), join(dir, 'datasets')],
    },
    ...overrides,
  };
}

/**
 * Trainer settings for end-to-end tests whose subject is the job system (stages, studies, lost
 * queues), not what a run measures: the default test sizes without the measurements that only add
 * time to each run (the deployment probe, the quality curve's generation along training, the
 * forgetting probe, the test set's extra paraphrases). Those are asserted by the trainer's own
 * tests and on recorded runs; comparison-e2e keeps them, so one real comparison still goes
 * through every part of a run.
 */
export const LEAN_TRAINER_DEFAULTS: JobsConfig['trainerDefaults'] = {
  ...TRAINER_DEFAULTS,
  test_paraphrases: 1,
  deploy_requests: 0,
  quality_checkpoints: 0,
  forgetting_texts: 0,
};

/** Removes every Redis key a test run wrote under its prefix. */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
