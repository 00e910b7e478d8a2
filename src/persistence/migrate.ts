/**
 * Applies the committed migrations at start-up, the way `prisma migrate deploy` does: Prisma's
 * advisory lock, its `_prisma_migrations` table and checksums, so the Prisma tooling sees the
 * result as its own. Works over one plain connection (pg client or PGlite).
 */
import { randomUUID } from 'node:crypto';
import { type MigrationFile, readMigrationFiles } from './migration-files.js';

/** The lock key Prisma Migrate takes, so this applier and Prisma's never run at once. */
export const MIGRATION_LOCK_KEY = 72707369;

/** One database connection: parameterised queries and multi-statement scripts. */
export interface SqlSession {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  exec(script: string): Promise<void>;
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

export interface MigrateOptions {
  migrationsDir?: string;
  /** How long to wait for another process that is migrating the same database. */
  lockTimeoutMs?: number;
  warn?: (message: string) => void;
}

export interface MigrateResult {
  applied: string[];
  /** Applied migrations whose file changed since (checksum differs). */
  edited: string[];
  /** Applied migrations that are not in the migrations directory (database newer than the code). */
  unknown: string[];
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

const createTable = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export async function applyMigrations(db: SqlSession, opts: MigrateOptions = {}): Promise<MigrateResult> {
  const files = await readMigrationFiles(opts.migrationsDir);
  await acquireLock(db, opts.lockTimeoutMs ?? 60_000);
  try {
    await db.exec(createTable);
    return await applyPending(db, files, opts.warn ?? ((m) => console.warn(m)));
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  }
}

async function acquireLock(db: SqlSession, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      MIGRATION_LOCK_KEY,
    ]);
    if (row?.locked) return;
    if (Date.now() >= deadline) {
      throw new Error(
        `another process has been migrating this database for over ${timeoutMs / 1000}s ` +
          `(advisory lock ${MIGRATION_LOCK_KEY} is held); wait for it or find the stuck process`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function applyPending(
  db: SqlSession,
  files: MigrationFile[],
  warn: (message: string) => void,
): Promise<MigrateResult> {
  const rows = await db.query<MigrationRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM "_prisma_migrations" ORDER BY started_at',
  );
  const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed) {
    throw new MigrationError(
      `migration ${failed.migration_name} failed earlier and is unresolved, so no further migration will run.\n` +
        `Its error: ${failed.logs ?? '(none recorded)'}\n` +
        'Undo whatever it changed, then mark it rolled back (npm run migrate -- --rolled-back ' +
        `${failed.migration_name}) so it is retried, or finish it by hand and mark it applied with Prisma.`,
      failed.migration_name,
    );
  }
  const done = rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null);
  const doneByName = new Map(done.map((r) => [r.migration_name, r]));
  const onDisk = new Set(files.map((f) => f.name));
  const edited = files
    .filter((f) => doneByName.has(f.name) && doneByName.get(f.name)?.checksum !== f.checksum)
    .map((f) => f.name);
  const unknown = [...doneByName.keys()].filter((name) => !onDisk.has(name));
  if (edited.length) warn(`migrations changed after they were applied: ${edited.join(', ')}`);
  if (unknown.length) warn(`database has migrations this code does not know: ${unknown.join(', ')}`);

  const applied: string[] = [];
  for (const file of files.filter((f) => !doneByName.has(f.name))) {
    await applyOne(db, file);
    applied.push(file.name);
  }
  return { applied, edited, unknown };
}

async function applyOne(db: SqlSession, file: MigrationFile): Promise<void> {
  const id = randomUUID();
  await db.query(
    'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
    [id, file.checksum, file.name],
  );
  try {
    // One multi-statement script: PostgreSQL runs it as a single implicit transaction.
    await db.exec(file.script);
  } catch (e) {
    const reason = describeSqlError(e);
    await db.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, reason]);
    throw new MigrationError(`migration ${file.name} failed: ${reason}`, file.name, { cause: e });
  }
  await db.query(
    'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = applied_steps_count + 1 WHERE id = $1',
    [id],
  );
}

function describeSqlError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const pg = e as Error & { code?: string; position?: string | number; detail?: string };
  const parts = [pg.message];
  if (pg.code) parts.push(`(SQLSTATE ${pg.code})`);
  if (pg.position !== undefined) parts.push(`at character ${pg.position}`);
  if (pg.detail) parts.push(`- ${pg.detail}`);
  return parts.join(' ');
}

/** Marks a failed migration rolled back (as `prisma migrate resolve --rolled-back` does) so it runs again. */
export async function markRolledBack(db: SqlSession, migrationName: string): Promise<boolean> {
  await db.exec(createTable);
  const rows = await db.query(
    `UPDATE "_prisma_migrations" SET rolled_back_at = now()
      WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL RETURNING id`,
    [migrationName],
  );
  return rows.length > 0;
}
