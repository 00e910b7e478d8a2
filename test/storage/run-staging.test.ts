/**
 * A run's files on a worker with a bucket (a real S3-compatible server; the fake trainer): the
 * dataset is fetched by hash and checked, results go up after the run, a failed upload fails the
 * attempt clearly and the next attempt uploads without training again, and retention clears the
 * bucket by the same rules as the local directory.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UnrecoverableError } from 'bullmq';
import { applyRetention, planRetention, type RetentionJob } from '../../jobs/retention';
import { datasetKey, type ObjectStore } from '../../jobs/storage/object-store';
import { S3Store } from '../../jobs/storage/s3-store';
import type { TrainerConfig } from '../../jobs/trainer-protocol';
import { parseRunFailure } from '../../jobs/worker/run-failure';
import { createRunProcessor, type RunJob } from '../../jobs/worker/run-processor';
import { SlotPool } from '../../jobs/worker/slots';
import { stageInputs } from '../../jobs/worker/staging';
import { FAKE_TRAINER_PATH, fakeConfig } from '../fixtures/trainers/fake-runs';
import { type S3TestServer, startS3Server } from '../support/s3-server';

let server: S3TestServer;
let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'faceoff-staging-'));
  server = await startS3Server();
});
after(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const bucket = (endpoint = server.endpoint): S3Store =>
  new S3Store({
    bucket: server.bucket,
    prefix: 'staging',
    endpoint,
    forcePathStyle: true,
    credentials: server.credentials,
    stateDir: path.join(dir, 'uploads'),
    maxAttempts: 1,
  });

function processorWith(store: ObjectStore, host: string) {
  return createRunProcessor({
    artifactDir: path.join(dir, host, 'artifacts'),
    slots: new SlotPool({ kind: 'cpu', count: 1 }),
    cancellations: { isCancelled: async () => false },
    trainerPath: FAKE_TRAINER_PATH,
    progressIntervalMs: 0,
    storage: { store, cacheDir: path.join(dir, host, 'cache'), uploadFullWeights: false },
  });
}

const job = (config: TrainerConfig, comparisonId: string, attemptsMade = 0): RunJob => ({
  id: `${comparisonId}-${config.run_id}-${attemptsMade}`,
  data: { comparisonId, runId: config.run_id, teamKey: 'console:t', config: structuredClone(config) },
  attemptsMade,
  updateProgress: async () => {},
  moveToWait: async () => 0,
});

const attempts = async (host: string, comparisonId: string, runId: string) =>
  (await readFile(path.join(dir, host, 'artifacts', comparisonId, runId, 'attempts.log'), 'utf8'))
    .trim()
    .split('\n').length;

describe('a run on a worker with a bucket', () => {
  test('the dataset is fetched by hash, checked, and the results go up', async () => {
    const text = '{"prompt":"a","completion":"b"}\n';
    const sha = createHash('sha256').update(text).digest('hex');
    const file = path.join(dir, 'upload.jsonl');
    await writeFile(file, text);
    const store = bucket();
    await store.put(datasetKey('console:t', sha), file);
    const config = fakeConfig('succeed', {
      run_id: 'run-a',
      dataset_path: store.ref(datasetKey('console:t', sha)),
    });
    // A worker's own bucket credentials never reach the trainer's environment.
    const saved = process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_SECRET_ACCESS_KEY = 'worker-secret';
    const result = await processorWith(
      store,
      'host-a',
    )(job(config, 'cmp-a')).finally(() => {
      if (saved === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved;
    });
    const names = JSON.parse(
      await readFile(path.join(dir, 'host-a', 'artifacts', 'cmp-a', 'run-a', 'environment.json'), 'utf8'),
    ) as string[];
    assert.ok(Array.isArray(names) && names.length > 0);
    assert.ok(!names.some((n) => n.startsWith('AWS_')), names.join(','));
    assert.equal(result.status, 'completed');
    assert.equal(result.outputDir, 's3://faceoff-test/staging/artifacts/cmp-a/run-a');
    const keys = (await store.list('artifacts/cmp-a/run-a/')).map((o) =>
      o.key.replace('artifacts/cmp-a/run-a/', ''),
    );
    assert.deepEqual(
      keys.sort(),
      [
        'adapter/weights.bin',
        'attempts.log',
        'config.json',
        'metrics.jsonl',
        'result.json',
        'environment.json',
        'trainer.pid',
      ].sort(),
    );
    const series = (
      await readFile(path.join(dir, 'host-a', 'artifacts', 'cmp-a', 'run-a', 'metrics.jsonl'), 'utf8')
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string });
    assert.deepEqual(
      series.filter((e) => e.event === 'step').length,
      6,
      'every step event is in the uploaded series',
    );
    const trainerConfig = JSON.parse(
      await readFile(path.join(dir, 'host-a', 'artifacts', 'cmp-a', 'run-a', 'config.json'), 'utf8'),
    ) as TrainerConfig;
    assert.equal(trainerConfig.dataset_path, path.join(dir, 'host-a', 'cache', 'datasets', `${sha}.jsonl`));
  });

  test('a dataset changed in the bucket after it was registered is refused, not trained on', async () => {
    const sha = 'f'.repeat(64);
    const file = path.join(dir, 'tampered.jsonl');
    await writeFile(file, '{"prompt":"x","completion":"y"}\n');
    const store = bucket();
    await store.put(datasetKey('console:t', sha), file);
    const config = fakeConfig('succeed', {
      run_id: 'run-t',
      dataset_path: store.ref(datasetKey('console:t', sha)),
    });
    await assert.rejects(processorWith(store, 'host-t')(job(config, 'cmp-t')), (error: unknown) => {
      assert.ok(error instanceof UnrecoverableError);
      const failure = parseRunFailure(error.message);
      assert.equal(failure.kind, 'bad_data');
      assert.match(failure.message, /does not match its hash/);
      return true;
    });
    const missing = fakeConfig('succeed', {
      run_id: 'run-m',
      dataset_path: store.ref(datasetKey('console:t', 'e'.repeat(64))),
    });
    await assert.rejects(processorWith(store, 'host-t')(job(missing, 'cmp-t')), /no such object/);
  });

  test('a failed upload fails the attempt clearly; the next attempt uploads without training again', async () => {
    const config = fakeConfig('succeed', { run_id: 'run-u' });
    const down = bucket('http://127.0.0.1:9');
    await assert.rejects(processorWith(down, 'host-u')(job(config, 'cmp-u')), (error: unknown) => {
      assert.ok(!(error instanceof UnrecoverableError), 'retried: storage may come back');
      const failure = parseRunFailure((error as Error).message);
      assert.equal(failure.kind, 'storage');
      assert.match(
        failure.message,
        /the run finished, but uploading .* failed: .*unavailable.*the results are kept on this worker/,
      );
      return true;
    });
    assert.equal(await attempts('host-u', 'cmp-u', 'run-u'), 1);
    const store = bucket();
    const result = await processorWith(store, 'host-u')(job(config, 'cmp-u', 1));
    assert.equal(result.status, 'completed');
    assert.equal((result.summary as { run_id?: string } | undefined)?.run_id, 'run-u');
    assert.equal(await attempts('host-u', 'cmp-u', 'run-u'), 1, 'the trainer did not run again');
    assert.ok(await store.head('artifacts/cmp-u/run-u/result.json'));
    assert.equal(await store.head('artifacts/cmp-u/run-u/.unpublished'), undefined);
  });

  test("a combination run on another host gets each skill's adapter and result from the bucket", async () => {
    const store = bucket();
    const file = path.join(dir, 'adapter-file');
    for (const skill of ['tone', 'facts']) {
      await writeFile(file, `{"skill": "${skill}"}`);
      await store.put(`artifacts/cmp-c/${skill}/adapter/adapter_config.json`, file);
      await store.put(`artifacts/cmp-c/${skill}/result.json`, file);
      await store.put(`artifacts/cmp-c/${skill}/metrics.jsonl`, file);
    }
    const config = {
      run_id: 'combine-1',
      task: 'customer_service',
      combination: 'cat' as const,
      model: 'tiny',
      adapters: { tone: store.ref('artifacts/cmp-c/tone'), facts: store.ref('artifacts/cmp-c/facts') },
    };
    const cache = path.join(dir, 'host-c', 'cache');
    await stageInputs(config, store, cache);
    assert.deepEqual(config.adapters, {
      tone: path.join(cache, 'artifacts', 'cmp-c', 'tone'),
      facts: path.join(cache, 'artifacts', 'cmp-c', 'facts'),
    });
    assert.equal(
      await readFile(path.join(cache, 'artifacts/cmp-c/tone/adapter/adapter_config.json'), 'utf8'),
      '{"skill": "tone"}',
    );
    assert.equal(
      await readFile(path.join(cache, 'artifacts/cmp-c/facts/result.json'), 'utf8'),
      '{"skill": "facts"}',
    );
    await assert.rejects(
      stat(path.join(cache, 'artifacts/cmp-c/tone/metrics.jsonl')),
      'only what combining needs is fetched',
    );
    const other = { ...config, adapters: { tone: 's3://someone-else/artifacts/x' } };
    await assert.rejects(stageInputs(other, store, cache), /not in this worker's storage/);
    const none = { ...config, adapters: { tone: store.ref('artifacts/cmp-c/missing') } };
    await assert.rejects(stageInputs(none, store, cache), /no adapter is stored under/);
  });

  test('retention clears expired jobs and unchosen full weights from the bucket', async () => {
    const store = bucket();
    const file = path.join(dir, 'w.bin');
    await writeFile(file, 'weights');
    for (const key of [
      'artifacts/cmp-old/r1/result.json',
      'artifacts/cmp-new/r1/model/model.safetensors',
      'artifacts/cmp-new/r1/result.json',
      'artifacts/cmp-new/r2/model/model.safetensors',
    ]) {
      await store.put(key, file);
    }
    const run = (id: string, lr: number, loss: number) => ({
      id,
      task: 'customer_service',
      method: 'full',
      seed: 1,
      learningRate: lr,
      state: 'completed',
      summary: { wall_time_s: 1, final_eval_loss: loss, metrics: {} },
      error: null,
      artifactPath: store.ref(`artifacts/cmp-new/${id}`),
    });
    const now = new Date('2026-12-01T00:00:00Z');
    const jobs: RetentionJob[] = [
      { id: 'cmp-old', state: 'completed', finishedAt: new Date('2026-10-01T00:00:00Z'), runs: [] },
      {
        id: 'cmp-new',
        state: 'completed',
        finishedAt: now,
        runs: [run('r1', 1e-4, 0.5), run('r2', 1e-3, 0.9)],
      },
    ];
    const actions = await planRetention(jobs, {
      artifactDir: path.join(dir, 'none'),
      now,
      keepDays: 30,
      store,
    });
    assert.deepEqual(
      actions.map((a) => [a.jobId, a.why, a.path]),
      [
        ['cmp-old', 'expired', 's3://faceoff-test/staging/artifacts/cmp-old/'],
        ['cmp-new', 'sweep_loser', 's3://faceoff-test/staging/artifacts/cmp-new/r2/model/'],
      ],
    );
    assert.equal(await applyRetention(actions, store), 14);
    assert.deepEqual(
      (await store.list('artifacts/cmp-')).map((o) => o.key).filter((k) => /cmp-(old|new)/.test(k)),
      ['artifacts/cmp-new/r1/model/model.safetensors', 'artifacts/cmp-new/r1/result.json'],
    );
  });
});
