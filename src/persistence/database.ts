/**
 * Opens the database: PostgreSQL when DATABASE_URL is a postgres:// URL, otherwise PostgreSQL
 * embedded in the process (PGlite) in a data directory. Pending migrations are applied first.
 */
import { mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { type DataDirLock, lockDataDir } from './data-dir-lock.js';
import { PrismaClient } from './generated/client.js';
import { applyMigrations, type MigrateResult } from './migrate.js';
import { describeConnectError, describeServer } from './postgres-errors.js';
import { pgClientSession, pgliteSession } from './sql-sessions.js';

export type DatabaseKind = 'embedded' | 'postgres';

export interface Database {
  prisma: PrismaClient;
  kind: DatabaseKind;
  /** Where the data lives, without credentials: `postgres://host:port/db` or the data directory. */
  location: string;
  /** What the start-up migration step did. */
  migrations: MigrateResult;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Defaults to `resolveDatabaseUrl(process.env)`. */
  url?: string;
}

export const DEFAULT_DATABASE_URL = 'file:.data/pglite';

/** DATABASE_URL, or the embedded database in `.data/pglite` under the working directory. */
export function resolveDatabaseUrl(env: Record<string, string | undefined> = process.env): string {
  return env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
}

type Target = { kind: 'postgres'; url: string } | { kind: 'embedded'; dataDir: string | null };

/** `postgres(ql)://` -> server; `memory:` -> in-memory; `file:<path>` or a bare path -> data directory. */
export function parseDatabaseUrl(url: string): Target {
  const value = url.trim();
  if (/^postgres(ql)?:\/\//i.test(value)) return { kind: 'postgres', url: value };
  if (/^memory:/i.test(value)) return { kind: 'embedded', dataDir: null };
  if (/^file:\/\//i.test(value)) return { kind: 'embedded', dataDir: fileURLToPath(value) };
  if (/^file:/i.test(value)) return { kind: 'embedded', dataDir: resolve(value.slice(5)) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new Error(
      `unsupported DATABASE_URL "${value.split('://')[0]}://...": use postgres://user@host:5432/db, ` +
        'a directory path (file:.data/pglite) or memory:',
    );
  }
  if (value === '') throw new Error('DATABASE_URL is empty');
  return { kind: 'embedded', dataDir: resolve(value) };
}

export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(opts.url ?? resolveDatabaseUrl());
  return target.kind === 'postgres' ? openPostgres(target.url) : openEmbedded(target.dataDir);
}

async function openPostgres(url: string): Promise<Database> {
  const location = describeServer(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => {});
    throw new Error(describeConnectError(url, e), { cause: e });
  }
  let migrations: MigrateResult;
  try {
    migrations = await applyMigrations(pgClientSession(client));
  } finally {
    await client.end().catch(() => {});
  }
  const pool = new pg.Pool({ connectionString: url });
  pool.on('error', () => {}); // a dropped idle connection is replaced on next use
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    kind: 'postgres',
    location,
    migrations,
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openEmbedded(dataDir: string | null): Promise<Database> {
  let lock: DataDirLock | undefined;
  if (dataDir !== null) {
    const stat = statSync(dataDir, { throwIfNoEntry: false });
    if (stat && !stat.isDirectory()) {
      throw new Error(`the embedded database path ${dataDir} exists and is not a directory`);
    }
    mkdirSync(dataDir, { recursive: true });
    lock = lockDataDir(dataDir);
  }
  const location = dataDir ?? 'memory:';
  let db: PGlite | undefined;
  try {
    db = dataDir === null ? new PGlite() : new PGlite(dataDir);
    await db.waitReady.catch((e: unknown) => {
      throw new Error(`cannot open the embedded database in ${location}: ${errorText(e)}`, { cause: e });
    });
    const pglite = db;
    const migrations = await applyMigrations(pgliteSession(pglite));
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    return {
      prisma,
      kind: 'embedded',
      location,
      migrations,
      close: async () => {
        try {
          await prisma.$disconnect();
          await pglite.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (e) {
    await db?.close().catch(() => {});
    lock?.release();
    throw e;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message || e.name : String(e ?? 'unknown error');
}
