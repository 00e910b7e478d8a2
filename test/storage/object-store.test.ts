/**
 * Both object stores against the same contract: the local directory, and an S3-compatible bucket
 * on a real server (moto, started by the test): round trips, multi-part and interrupted uploads,
 * missing objects, wrong credentials and a server that is down.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LocalStore } from '../../jobs/storage/local-store';
import { datasetKey, type ObjectStore, StorageError } from '../../jobs/storage/object-store';
import { S3Store, type S3StoreOptions } from '../../jobs/storage/s3-store';
import { readStorageSettings } from '../../jobs/storage/storage-config';
import { type S3TestServer, startS3Server } from '../support/s3-server';

const sha = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
const MiB = 1024 * 1024;

let dir: string;
let server: S3TestServer;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'faceoff-store-'));
  server = await startS3Server();
});
after(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

function bucket(extra: Partial<S3StoreOptions> = {}): S3Store {
  return new S3Store({
    bucket: server.bucket,
    prefix: 'team-a/faceoff',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: server.credentials,
    stateDir: path.join(dir, 'uploads'),
    partBytes: 5 * MiB,
    maxAttempts: 1,
    ...extra,
  });
}

async function fileOf(name: string, bytes: number): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, randomBytes(bytes));
  return file;
}

for (const kind of ['local', 's3'] as const) {
  describe(`${kind} store`, () => {
    const store = (): ObjectStore =>
      kind === 'local' ? new LocalStore(path.join(dir, 'local-root')) : bucket();

    test('a dataset goes in under its hash and comes back byte for byte', async () => {
      const file = await fileOf(`dataset-${kind}.jsonl`, 4096);
      const key = datasetKey('slack:T1', await sha(file));
      const s = store();
      assert.deepEqual(await s.put(key, file), { key, bytes: 4096 });
      assert.deepEqual(await s.head(key), { key, bytes: 4096 });
      assert.equal(s.keyOf(s.ref(key)), key);
      const back = path.join(dir, `back-${kind}.jsonl`);
      await s.download(key, back);
      assert.equal(await sha(back), await sha(file));
      assert.deepEqual(
        (await s.list('datasets/slack_T1/')).map((o) => o.key),
        [key],
      );
      await s.delete([key, 'datasets/slack_T1/never-stored.jsonl']);
      assert.equal(await s.head(key), undefined);
    });

    test('a missing object is a clear not-found error and leaves no partial file', async () => {
      const s = store();
      const target = path.join(dir, `missing-${kind}`, 'out.bin');
      await assert.rejects(s.download('artifacts/cmp-x/run-x/result.json', target), (error: unknown) => {
        assert.ok(error instanceof StorageError);
        assert.equal(error.kind, 'not_found');
        assert.match(error.message, /artifacts\/cmp-x\/run-x\/result\.json/);
        return true;
      });
      assert.deepEqual(await readdir(path.dirname(target)).catch(() => []), []);
    });

    test('keys that climb out of the store or carry odd characters are refused', async () => {
      const s = store();
      const file = await fileOf(`odd-${kind}.bin`, 10);
      for (const key of ['../escape', 'a/../../b', '/abs', 'a//b', 'a/\u0000', 'a b', '']) {
        await assert.rejects(s.put(key, file), /not a storage key/, key);
      }
    });
  });
}

describe('S3-compatible bucket', () => {
  test('a large file goes up in parts and downloads intact', async () => {
    const file = await fileOf('weights.safetensors', 12 * MiB + 123);
    const parts: number[] = [];
    const s = bucket();
    await s.put('artifacts/cmp-1/run-1/model/model.safetensors', file, { onPart: (n) => parts.push(n) });
    assert.deepEqual(
      parts.sort((a, b) => a - b),
      [1, 2, 3],
    );
    const back = path.join(dir, 'weights-back');
    await s.download('artifacts/cmp-1/run-1/model/model.safetensors', back);
    assert.equal(await sha(back), await sha(file));
  });

  test('an interrupted upload resumes: only the parts not yet stored go up again', async () => {
    const file = await fileOf('checkpoint.bin', 16 * MiB);
    const key = 'artifacts/cmp-2/run-1/model/model.safetensors';
    const stop = new AbortController();
    const first: number[] = [];
    const s = bucket({ partConcurrency: 1 });
    await assert.rejects(
      s.put(key, file, {
        signal: stop.signal,
        onPart: (n) => {
          first.push(n);
          if (first.length === 2) stop.abort();
        },
      }),
      (error: unknown) => error instanceof StorageError && error.kind === 'interrupted',
    );
    assert.deepEqual(first, [1, 2]);
    assert.equal(await s.head(key), undefined, 'nothing is visible until every part is in');
    const second: number[] = [];
    await bucket({ partConcurrency: 1 }).put(key, file, { onPart: (n) => second.push(n) });
    assert.deepEqual(second, [3, 4], 'the two stored parts were not sent again');
    const back = path.join(dir, 'checkpoint-back');
    await s.download(key, back);
    assert.equal(await sha(back), await sha(file));
    assert.deepEqual(await readdir(path.join(dir, 'uploads')), [], 'the finished upload forgot its state');
  });

  test('a file changed since an interrupted upload starts a new upload', async () => {
    const file = await fileOf('changing.bin', 11 * MiB);
    const key = 'artifacts/cmp-3/run-1/model/model.safetensors';
    const stop = new AbortController();
    const s = bucket({ partConcurrency: 1 });
    await assert.rejects(s.put(key, file, { signal: stop.signal, onPart: () => stop.abort() }));
    await writeFile(file, randomBytes(11 * MiB));
    const parts: number[] = [];
    await s.put(key, file, { onPart: (n) => parts.push(n) });
    assert.deepEqual(parts, [1, 2, 3]);
    const back = path.join(dir, 'changing-back');
    await s.download(key, back);
    assert.equal(await sha(back), await sha(file));
  });

  test('wrong credentials: a clear access error that names the bucket, never the secret; the file stays', async () => {
    const file = await fileOf('kept.jsonl', 100);
    const secret = 'wrong-secret-value-123';
    const s = bucket({ credentials: { accessKeyId: 'AKIAWRONGKEY', secretAccessKey: secret } });
    for (const attempt of [
      () => s.put('datasets/t/a.jsonl', file),
      () => s.download('datasets/t/a.jsonl', path.join(dir, 'x')),
      () => s.list('datasets/'),
    ]) {
      await assert.rejects(attempt, (error: unknown) => {
        assert.ok(error instanceof StorageError);
        assert.equal(error.kind, 'access_denied');
        assert.match(error.message, /s3:\/\/faceoff-test\/team-a\/faceoff\/.*access denied/);
        assert.doesNotMatch(error.message, new RegExp(secret));
        return true;
      });
    }
    assert.equal((await stat(file)).size, 100);
  });

  test('a bucket that does not exist and a server that is down are told apart', async () => {
    const file = await fileOf('small.txt', 10);
    await assert.rejects(
      bucket({ bucket: 'no-such-bucket' }).put('a/b', file),
      /bucket no-such-bucket does not exist/,
    );
    const down = bucket({ endpoint: 'http://127.0.0.1:9' });
    await assert.rejects(down.put('a/b', file), (error: unknown) => {
      assert.ok(error instanceof StorageError);
      assert.equal(error.kind, 'unavailable');
      return true;
    });
  });

  test('a download link fetches the object without credentials, as an attachment, and says when it expires', async () => {
    // moto checks no query-string signatures while authentication is on: a server without it.
    const open = await startS3Server({ auth: false });
    after(() => open.stop());
    const file = await fileOf('adapter.tar.gz', 2048);
    const s = bucket({ endpoint: open.endpoint });
    await s.put('artifacts/cmp-4/run-1/adapter.tar.gz', file);
    const url = await s.link('artifacts/cmp-4/run-1/adapter.tar.gz', 60, 'cmp-4-lora.tar.gz');
    const query = new URL(url).searchParams;
    assert.equal(query.get('X-Amz-Expires'), '60');
    assert.match(query.get('X-Amz-Signature') ?? '', /^[0-9a-f]{64}$/);
    assert.doesNotMatch(url, new RegExp(server.credentials.secretAccessKey));
    const answer = await fetch(url);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-disposition') ?? '', /cmp-4-lora\.tar\.gz/);
    assert.deepEqual(Buffer.from(await answer.arrayBuffer()), await readFile(file));
  });
});

test('a team key cannot climb out of its dataset prefix', () => {
  const sha = 'a'.repeat(64);
  for (const team of ['slack:T1/../../other', 'discord:../x', 'console:a b\u0000']) {
    const key = datasetKey(team, sha);
    assert.match(key, /^datasets\/[\w-]+\/a{64}\.jsonl$/, key);
  }
});

test('storage settings: local by default; a bucket from the environment; bad values named', () => {
  assert.equal(readStorageSettings({}).s3, undefined);
  const settings = readStorageSettings({
    FACEOFF_S3_BUCKET: 'team-bucket',
    FACEOFF_S3_PREFIX: 'faceoff',
    FACEOFF_S3_ENDPOINT: 'http://127.0.0.1:9000',
    FACEOFF_S3_PATH_STYLE: '1',
  });
  assert.deepEqual(settings.s3, {
    bucket: 'team-bucket',
    prefix: 'faceoff',
    endpoint: 'http://127.0.0.1:9000',
    region: 'us-east-1',
    forcePathStyle: true,
    partBytes: 16 * MiB,
  });
  assert.throws(() => readStorageSettings({ FACEOFF_S3_BUCKET: 'Bad_Bucket' }), /FACEOFF_S3_BUCKET/);
  assert.throws(
    () => readStorageSettings({ FACEOFF_S3_BUCKET: 'ok-bucket', FACEOFF_S3_PART_MB: '2' }),
    /PART_MB/,
  );
  assert.throws(
    () => readStorageSettings({ FACEOFF_S3_BUCKET: 'ok-bucket', FACEOFF_S3_ENDPOINT: 'ftp://x' }),
    /ENDPOINT/,
  );
  assert.throws(() => readStorageSettings({ FACEOFF_UPLOAD_FULL_WEIGHTS: 'maybe' }), /FULL_WEIGHTS/);
});
