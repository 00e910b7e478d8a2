/**
 * The two databases the persistence tests run against: embedded PGlite in a fresh temporary
 * directory, and a fresh database on the PostgreSQL server (dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  createRepositories,
  type Database,
  openDatabase,
  type Repositories,
} from '../../src/persistence/index.js';

export interface Backend {
  name: string;
  url: string;
  cleanup(): Promise<void>;
}

/** Where to create test databases; any database on the server works as the admin connection. */
export const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function embeddedBackend(): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), 'faceoff-pglite-'));
  return {
    name: 'embedded PGlite',
    url: `file:${join(dir, 'data')}`,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Null when the server cannot be reached and this is not CI (the caller skips with the reason);
 * in CI an unreachable server is an error.
 */
export async function postgresBackend(): Promise<{ backend: Backend } | { skip: string }> {
  const name = `faceoff_test_${randomBytes(5).toString('hex')}`;
  try {
    await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  } catch (e) {
    const reason = `PostgreSQL at ${adminUrl.replace(/\/\/[^@]*@/, '//')} is unreachable (${(e as Error).message})`;
    if (process.env.CI) throw new Error(`${reason}; CI needs it`, { cause: e });
    return { skip: `${reason}; set TEST_POSTGRES_ADMIN_URL or start the server to run these tests` };
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    backend: {
      name: 'PostgreSQL',
      url: url.toString(),
      cleanup: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh embedded database with the repositories on it; `close` removes it. */
export async function embeddedRepositories(): Promise<{
  db: Database;
  repos: Repositories;
  close(): Promise<void>;
}> {
  const backend = await embeddedBackend();
  const db = await openDatabase({ url: backend.url });
  return {
    db,
    repos: createRepositories(db.prisma),
    close: async () => {
      await db.close();
      await backend.cleanup();
    },
  };
}
