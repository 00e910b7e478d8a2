import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface EmbeddedRedis {
  url: string;
  stop(): Promise<void>;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface EmbeddedRedisOptions {
  /**
   * Keep the queue across restarts in this directory (append-only file, fsync every second);
   * without it a temporary directory is used and nothing is persisted.
   */
  dataDir?: string;
}

/** Starts a private redis-server from PATH on a free port (127.0.0.1 only). */
export async function startEmbeddedRedis(
  log: (m: string) => void = () => {},
  options: EmbeddedRedisOptions = {},
): Promise<EmbeddedRedis> {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error) {
    throw new Error(
      'REDIS_URL is not set and no redis-server was found on PATH. Install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL=redis://host:6379.',
    );
  }
  const port = await freePort();
  const persistent = options.dataDir !== undefined;
  const dir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'faceoff-redis-'));
  mkdirSync(dir, { recursive: true });
  const durability = persistent
    ? ['--appendonly', 'yes', '--appendfsync', 'everysec']
    : ['--appendonly', 'no'];
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      ...durability,
      '--dir',
      dir,
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await client.connect();
      await client.ping();
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        if (!persistent) rmSync(dir, { recursive: true, force: true });
        throw new Error(`the private redis-server did not start on port ${port}`);
      }
      client.disconnect();
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.disconnect();
  log(
    persistent
      ? `REDIS_URL is not set: started a private Redis on ${url} keeping the queue in ${dir} (append-only, fsync every second). For production or several processes, run a shared Redis and set REDIS_URL=redis://host:6379.`
      : `Started a private Redis on ${url} (REDIS_URL not set).`,
  );
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (!persistent) rmSync(dir, { recursive: true, force: true });
    },
  };
}
