import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { describeRedis, redisConnectionOptions, waitForRedis } from '../../../jobs/redis-connection';
import { REPO_ROOT, TEST_REDIS_URL, waitFor } from '../../fixtures/trainers/fake-runs';

/** A port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

describe('redisConnectionOptions', () => {
  it('parses host, port, credentials, database and TLS', () => {
    assert.deepEqual(redisConnectionOptions('redis://127.0.0.1:6379'), {
      host: '127.0.0.1',
      port: 6379,
      maxRetriesPerRequest: null,
    });
    assert.deepEqual(redisConnectionOptions('rediss://worker:p%40ss@redis.internal:6380/2'), {
      host: 'redis.internal',
      port: 6380,
      username: 'worker',
      password: 'p@ss',
      db: 2,
      tls: {},
      maxRetriesPerRequest: null,
    });
    assert.equal(redisConnectionOptions('redis://[::1]').host, '::1');
    assert.equal(describeRedis(redisConnectionOptions('redis://:secret@[::1]:7000/3')), '[::1]:7000/3');
  });

  it('rejects what is not a Redis URL without echoing the password', () => {
    assert.throws(() => redisConnectionOptions('http://x:1'), /must start with redis:\/\//);
    assert.throws(() => redisConnectionOptions('redis://h:1/abc'), /database must be a number/);
    assert.throws(
      () => redisConnectionOptions('redis://:secret@bad host:1'),
      (error: Error) => !error.message.includes('secret'),
    );
    for (const url of ['redis://:Sec/Ret9@h:1', 'redis://user:12/Ret9@h:6379', 'redis://user:Sec?Ret9@h']) {
      assert.throws(
        () => redisConnectionOptions(url),
        (error: Error) =>
          /percent-encode/.test(error.message) &&
          !/Sec|Ret9|user/.test(error.message.replace(/percent-encode.*/, '')),
      );
    }
    assert.equal(redisConnectionOptions('redis://user:p@ss@h:1').password, 'p@ss');
    assert.equal(redisConnectionOptions('redis://user:p:ss@h:1').password, 'p:ss');
  });
});

describe('waitForRedis', () => {
  it('resolves at once when Redis answers', async () => {
    const logs: string[] = [];
    const connection = await waitForRedis(TEST_REDIS_URL, { log: (line) => logs.push(line) });
    assert.equal(typeof connection.port, 'number');
    assert.deepEqual(logs, []);
  });

  it('explains a refused connection, backs off, and gives up after maxWaitMs', async () => {
    const port = await closedPort();
    const logs: string[] = [];
    const started = Date.now();
    await assert.rejects(
      waitForRedis(`redis://:hunter2@127.0.0.1:${port}`, {
        log: (line) => logs.push(line),
        maxWaitMs: 1000,
        initialDelayMs: 200,
      }),
      new RegExp(`Redis at 127.0.0.1:${port} is still unreachable \\(ECONNREFUSED\\)`),
    );
    assert.ok(Date.now() - started < 3000);
    assert.deepEqual(
      logs.map((line) => line.replace(/retrying in [\d.]+s/, 'retrying in Ns')),
      Array(logs.length).fill(
        `Redis at 127.0.0.1:${port} is unreachable (ECONNREFUSED); retrying in Ns — is redis-server running? set REDIS_URL`,
      ),
    );
    assert.match(logs[0] ?? '', /retrying in 0.2s/);
    assert.match(logs[1] ?? '', /retrying in 0.4s/);
    assert.ok(!logs.join('\n').includes('hunter2'));
  });

  it('npm run worker keeps retrying with a clear message while Redis is down, and stops on SIGTERM', async () => {
    const port = await closedPort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'jobs/worker/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, REDIS_URL: `redis://:hunter2@127.0.0.1:${port}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor('two retry messages', () => (output.match(/retrying in/g)?.length ?? 0) >= 2, 15_000);
      assert.match(
        output,
        new RegExp(
          `Redis at 127.0.0.1:${port} is unreachable \\(ECONNREFUSED\\); retrying in 1s — is redis-server running\\? set REDIS_URL`,
        ),
      );
      assert.match(output, /retrying in 2s/);
      assert.ok(!output.includes('hunter2'));
      assert.equal(child.exitCode, null, 'still running, not crashed');
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
