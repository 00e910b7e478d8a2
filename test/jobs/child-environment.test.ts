import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { childEnvironment } from '../../jobs/child-environment';
import { runTrainer } from '../../jobs/trainer-process';
import { FAKE_TRAINER_PATH, fakeConfig } from '../fixtures/trainers/fake-runs';

const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-secret',
  SLACK_SIGNING_SECRET: 'signing-secret',
  SLACK_CLIENT_SECRET: 'client-secret',
  FACEOFF_SLACK_TOKEN_KEY: 'key',
  DISCORD_TOKEN: 'discord-secret',
  DATABASE_URL: 'postgres://user:pw@db/faceoff',
  REDIS_URL: 'redis://:pw@cache:6379',
  AWS_SECRET_ACCESS_KEY: 'aws-secret',
};

describe('child process environment', () => {
  it('keeps what Python, torch, CUDA and Hugging Face need and drops everything else', () => {
    const env = childEnvironment(
      {
        ...SECRETS,
        PATH: '/usr/bin',
        HOME: '/home/faceoff',
        LANG: 'C.UTF-8',
        LC_ALL: 'C.UTF-8',
        HF_HOME: '/models',
        HF_HUB_OFFLINE: '1',
        CUDA_HOME: '/usr/local/cuda',
        NCCL_DEBUG: 'INFO',
        FACEOFF_CACHE_DIR: '/cache',
        FACEOFF_NUM_THREADS: '4',
        FACEOFF_ADMINS: 'U1',
        NODE_OPTIONS: '--inspect',
      },
      { PYTHONPATH: '/app/jobs/trainer', CUDA_VISIBLE_DEVICES: '1' },
    );
    assert.deepEqual(Object.keys(env).sort(), [
      'CUDA_HOME',
      'CUDA_VISIBLE_DEVICES',
      'FACEOFF_CACHE_DIR',
      'FACEOFF_NUM_THREADS',
      'HF_HOME',
      'HF_HUB_OFFLINE',
      'HOME',
      'LANG',
      'LC_ALL',
      'NCCL_DEBUG',
      'PATH',
      'PYTHONPATH',
    ]);
  });

  it('passes the extra names an operator lists in FACEOFF_TRAINER_ENV, and an undefined override removes a variable', () => {
    const env = childEnvironment(
      {
        PATH: '/bin',
        HOME: '/h',
        WANDB_API_KEY: 'w',
        HTTPS_PROXY: 'p',
        FACEOFF_TRAINER_ENV: ' WANDB_API_KEY , ',
      },
      { HOME: undefined },
    );
    assert.deepEqual(env, { PATH: '/bin', WANDB_API_KEY: 'w' });
  });

  it('a real trainer process sees none of the bot secrets in its environment', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'faceoff-env-'));
    const saved = Object.fromEntries(Object.keys(SECRETS).map((k) => [k, process.env[k]]));
    Object.assign(process.env, SECRETS);
    try {
      const outputDir = path.join(root, 'run');
      const outcome = await runTrainer({
        config: fakeConfig('succeed'),
        outputDir,
        trainerPath: FAKE_TRAINER_PATH,
        onEvent: () => {},
      });
      assert.equal(outcome.kind, 'finished');
      const names: string[] = JSON.parse(await readFile(path.join(outputDir, 'environment.json'), 'utf8'));
      for (const secret of Object.keys(SECRETS)) assert.ok(!names.includes(secret), `${secret} leaked`);
      assert.ok(names.includes('PATH') && names.includes('PYTHONPATH'));
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await rm(root, { recursive: true, force: true });
    }
  });
});
