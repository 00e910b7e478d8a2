/**
 * REDIS_URL -> connection options for BullMQ and ioredis, and a patient wait for Redis at start-up:
 * an unreachable Redis is reported in plain words and retried with capped backoff, never a crash loop.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { credentialSpilled, redactUrl } from '../src/format/url-redaction';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Options accepted by both BullMQ (`connection`) and `new Redis(...)`. */
export interface RedisConnectionOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: Record<string, never>;
  /** BullMQ workers block on Redis and require `null` here. */
  maxRetriesPerRequest: null;
}

/** Parses `redis://[user[:password]@]host[:port][/db]` (or `rediss://` for TLS). */
export function redisConnectionOptions(url: string): RedisConnectionOptions {
  const notAUrl = () =>
    new Error(
      `REDIS_URL is not a URL (expected redis://host:port): ${redactUrl(url)}; ` +
        'percent-encode / : @ ? # in the password (%2F %3A %40 %3F %23)',
    );
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw notAUrl();
  }
  if (credentialSpilled(parsed)) throw notAUrl();
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`REDIS_URL must start with redis:// or rediss://, got ${parsed.protocol}//`);
  }
  const options: RedisConnectionOptions = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    maxRetriesPerRequest: null,
  };
  if (parsed.username) options.username = decodeURIComponent(parsed.username);
  if (parsed.password) options.password = decodeURIComponent(parsed.password);
  const db = parsed.pathname.replace(/^\//, '');
  if (db) {
    if (!/^\d+$/.test(db)) throw new Error(`REDIS_URL database must be a number, got "${db}"`);
    options.db = Number(db);
  }
  if (parsed.protocol === 'rediss:') options.tls = {};
  return options;
}

/** `host:port[/db]`, safe to print: never contains credentials. */
export function describeRedis(options: RedisConnectionOptions): string {
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return `${host}:${options.port}${options.db ? `/${options.db}` : ''}`;
}

export interface WaitForRedisOptions {
  log: (message: string) => void;
  /** Give up (reject) after this long; default: wait forever. */
  maxWaitMs?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  connectTimeoutMs?: number;
  signal?: AbortSignal;
}

/** Resolves once Redis answers PING; meanwhile logs why it is not reachable and retries. */
export async function waitForRedis(
  url: string,
  options: WaitForRedisOptions,
): Promise<RedisConnectionOptions> {
  const connection = redisConnectionOptions(url);
  const where = describeRedis(connection);
  const started = Date.now();
  let delay = options.initialDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    const failure = await pingOnce(connection, options.connectTimeoutMs ?? 5000);
    if (!failure) {
      if (attempt > 1) options.log(`Redis at ${where} is reachable now`);
      return connection;
    }
    const waited = Date.now() - started;
    if (options.maxWaitMs !== undefined && waited + delay > options.maxWaitMs) {
      throw new Error(
        `Redis at ${where} is still unreachable (${failure}) after ${Math.round(waited / 1000)}s — is redis-server running? set REDIS_URL`,
      );
    }
    options.log(
      `Redis at ${where} is unreachable (${failure}); retrying in ${formatSeconds(delay)} — is redis-server running? set REDIS_URL`,
    );
    await sleep(delay, undefined, { signal: options.signal });
    delay = Math.min(delay * 2, maxDelay);
  }
}

/** One connection attempt without ioredis' own reconnecting; returns a short reason or null. */
async function pingOnce(connection: RedisConnectionOptions, connectTimeout: number): Promise<string | null> {
  const client = new Redis({
    ...connection,
    lazyConnect: true,
    connectTimeout,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  let lastError: unknown;
  client.on('error', (error) => {
    lastError = error;
  });
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return reasonOf(lastError ?? error);
  } finally {
    client.disconnect();
  }
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code) return code;
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.slice(0, 160) || 'unknown error';
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
