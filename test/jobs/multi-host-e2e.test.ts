/**
 * Workers on hosts that share no disk: one bucket (a real S3-compatible server), the real Redis,
 * a control plane and two workers, each with its own directories. A dataset shared in the chat is
 * stored in the bucket; the two workers fetch it by hash, train the two arms of one comparison
 * with the real trainer and upload their results; the control plane announces them once, and
 * `/faceoff adapter` hands out an adapter that loads with PEFT and reproduces the run's loss.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { extract } from 'tar';
import { writeLimited } from '../../bots/streamed-download';
import { S3Store } from '../../jobs/storage/s3-store';
import { readStorageSettings } from '../../jobs/storage/storage-config';
import { type RunWorker, startRunWorker } from '../../jobs/worker/worker';
import type { FileEvent } from '../../src/chat/incoming';
import { testConnection } from '../fixtures/trainers/fake-runs';
import { type Harness, jobIdFrom, startHarness } from '../support/harness';
import { type S3TestServer, startS3Server } from '../support/s3-server';
import { LEAN_TRAINER_DEFAULTS } from '../support/test-services';

const run = promisify(execFile);
const PYTHON = process.env.FACEOFF_PYTHON ?? 'python3';
const PREFIX = 'team-a/faceoff';

const datasetLines = Array.from({ length: 60 }, (_, i) => {
  const n = i + 3;
  return JSON.stringify({ prompt: `What is ${n} plus ${n}?`, completion: `${n + n}` });
});

describe('workers on several hosts, one bucket (real S3-compatible server, real trainer)', () => {
  let server: S3TestServer;
  let h: Harness;
  const workers: RunWorker[] = [];
  const ranOn = new Map<string, string>();
  const saved: Record<string, string | undefined> = {};
  let hosts: string;

  before(async () => {
    server = await startS3Server();
    // The control plane's bucket client reads the standard AWS variables, as in a deployment.
    for (const [k, v] of Object.entries(server.env(PREFIX))) {
      saved[k] = process.env[k];
      if (k.startsWith('AWS_')) process.env[k] = v;
    }
    hosts = mkdtempSync(join(tmpdir(), 'faceoff-hosts-'));
    h = await startHarness({
      embeddedWorker: false,
      storage: readStorageSettings({
        ...server.env(PREFIX),
        FACEOFF_STAGING_DIR: join(hosts, 'bot', 'staging'),
      }),
      artifactDir: join(hosts, 'bot', 'artifacts'),
      datasetDir: join(hosts, 'bot', 'datasets'),
      trainerDefaults: LEAN_TRAINER_DEFAULTS, // the subject is storage and placement, not measurements
    });
    for (const host of ['host-a', 'host-b']) {
      const root = join(hosts, host);
      workers.push(
        await startRunWorker({
          connection: testConnection(),
          prefix: h.prefix,
          artifactDir: join(root, 'artifacts'),
          slots: { kind: 'cpu', count: 1 },
          storage: {
            store: new S3Store({
              bucket: server.bucket,
              prefix: PREFIX,
              endpoint: server.endpoint,
              forcePathStyle: true,
              credentials: server.credentials,
              stateDir: join(root, 'cache', 'uploads'),
            }),
            cacheDir: join(root, 'cache'),
            uploadFullWeights: false,
          },
          log: (message) => {
            const id = /^run (\S+) /.exec(message)?.[1];
            if (id && message.includes(': finished')) ranOn.set(id, host);
          },
        }),
      );
    }
  });
  after(async () => {
    for (const w of workers) await w.close();
    await h?.close();
    await server?.stop();
    rmSync(hosts, { recursive: true, force: true });
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('runs the two arms on two hosts and hands out an adapter that reproduces its loss', async (t) => {
    const text = `${datasetLines.join('\n')}\n`;
    const event: FileEvent = {
      kind: 'file',
      conversation: { platform: 'console', workspace: 'test', channel: 'c1' },
      user: { id: 'alice' },
      file: {
        name: 'sums.jsonl',
        size: text.length,
        download: (toPath, maxBytes) => writeLimited([new TextEncoder().encode(text)], toPath, maxBytes),
      },
    };
    const registered = await h.engine.handle(event);
    const datasetId = registered.find((r) => r.refs?.datasetId)?.refs?.datasetId;
    assert.ok(datasetId, registered.map((r) => r.text).join('\n'));
    const dataset = await h.repositories.datasets.get('console:test', datasetId);
    assert.match(
      dataset?.path ?? '',
      /^s3:\/\/faceoff-test\/team-a\/faceoff\/datasets\/console_test\/[0-9a-f]{64}\.jsonl$/,
    );
    assert.deepEqual(
      readdirSync(join(hosts, 'bot', 'datasets', 'console_test')),
      [],
      'only the bucket keeps it',
    );

    const queued = await h.send(
      `/faceoff compare task=${datasetId} model=tiny seeds=1 max_steps=4 lr_sweep=off`,
    );
    const id = jobIdFrom(queued);
    await h.jobs.idle();
    const job = await h.repositories.jobs.getById(id);
    assert.equal(job?.state, 'completed', JSON.stringify(job?.runs.map((r) => r.error)));
    assert.deepEqual(new Set(job?.runs.map((r) => ranOn.get(r.id))), new Set(['host-a', 'host-b']));
    for (const r of job?.runs ?? []) {
      assert.equal(r.artifactPath, `s3://faceoff-test/${PREFIX}/artifacts/${id}/${r.id}`);
    }
    const announced = h.notifier.posts.filter((p) => p.reply.text.startsWith(`Comparison ${id} finished`));
    assert.equal(announced.length, 1);

    // What each run left in the bucket: results, metric series, the adapter; no full weights.
    const store = new S3Store({
      bucket: server.bucket,
      prefix: PREFIX,
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: server.credentials,
      stateDir: join(h.dir, 'check'),
    });
    const lora = job?.runs.find((r) => r.method === 'lora');
    const full = job?.runs.find((r) => r.method === 'full');
    assert.ok(lora && full);
    const keys = async (runId: string) =>
      (await store.list(`artifacts/${id}/${runId}/`)).map((o) => o.key.split(`${runId}/`)[1]);
    const loraKeys = await keys(lora.id);
    for (const name of [
      'result.json',
      'metrics.jsonl',
      'config.json',
      'adapter/adapter_config.json',
      'adapter/adapter_model.safetensors',
    ]) {
      assert.ok(loraKeys.includes(name), `${name} in ${loraKeys.join(', ')}`);
    }
    const fullKeys = await keys(full.id);
    assert.ok(fullKeys.includes('result.json'));
    assert.ok(!fullKeys.some((k) => k?.startsWith('model/')), 'full weights stay on the worker unless asked');

    const replies = await h.send(`/faceoff adapter ${id}`);
    const file = replies[0]?.files?.[0];
    assert.ok(file, replies.map((r) => r.text).join('\n'));
    assert.match(
      replies[0]?.text ?? '',
      /Base model: tiny · rank \d+ · alpha \d+ · targets .+ · learning rate .+ · PEFT \d/,
    );
    const out = join(h.dir, 'took-home');
    mkdirSync(out);
    await extract({ file: file.path, cwd: out });
    const dir = join(out, file.filename.replace(/\.tar\.gz$/, ''));
    const localDataset = join(h.dir, 'sums.jsonl');
    writeFileSync(localDataset, text);
    const { stdout } = await run(
      PYTHON,
      [
        '-m',
        'faceoff_trainer',
        'evaluate-adapter',
        '--config',
        join(dir, 'result.json'),
        '--adapter',
        join(dir, 'adapter'),
        '--model',
        'tiny',
        '--dataset-path',
        localDataset,
      ],
      { env: { ...process.env, PYTHONPATH: join(process.cwd(), 'jobs', 'trainer'), HF_HUB_OFFLINE: '1' } },
    );
    const evaluated = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { eval_loss: number };
    const reported = (lora.summary as { final_eval_loss: number }).final_eval_loss;
    assert.ok(Math.abs(evaluated.eval_loss - reported) < 1e-4, `${evaluated.eval_loss} vs ${reported}`);
    t.diagnostic(
      `runs on ${[...ranOn.entries()].map(([r, host]) => `${r}@${host}`).join(', ')}; adapter ${file.bytes} bytes; ` +
        `evaluate-adapter loss ${evaluated.eval_loss} vs the run's final_eval_loss ${reported}`,
    );

    // Over the platform's upload limit: a download link that expires, no file.
    h.engine.platforms.register('console', { maxUploadBytes: 100 });
    const linked = await h.send(`/faceoff adapter ${id} ${datasetId} lora`);
    assert.equal(linked[0]?.files, undefined);
    assert.match(
      linked[0]?.text ?? '',
      /over this platform's 100 B upload limit: download it here until \S+Z .*X-Amz-Expires=86400/,
    );
    h.engine.platforms.register('console', {});
  });
});
