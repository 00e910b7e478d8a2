/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL (the same step every start does).
 * `npm run migrate -- --rolled-back <migration>` marks a failed migration rolled back so the next
 * run retries it, after its partial changes were undone by hand.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { openDatabase, parseDatabaseUrl, resolveDatabaseUrl } from './database.js';
import { markRolledBack } from './migrate.js';
import { describeConnectError } from './postgres-errors.js';
import { pgClientSession, pgliteSession } from './sql-sessions.js';

async function rollBack(url: string, migration: string): Promise<boolean> {
  const target = parseDatabaseUrl(url);
  if (target.kind === 'postgres') {
    const client = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 10_000 });
    await client.connect().catch((e: unknown) => {
      throw new Error(describeConnectError(target.url, e));
    });
    try {
      return await markRolledBack(pgClientSession(client), migration);
    } finally {
      await client.end();
    }
  }
  if (target.dataDir === null) throw new Error('an in-memory database has no failed migrations to resolve');
  const lock = lockDataDir(target.dataDir);
  const db = new PGlite(target.dataDir);
  try {
    return await markRolledBack(pgliteSession(db), migration);
  } finally {
    await db.close();
    lock.release();
  }
}

async function main(): Promise<void> {
  const url = resolveDatabaseUrl(process.env);
  const [flag, name] = process.argv.slice(2);
  if (flag === '--rolled-back') {
    if (!name) throw new Error('usage: npm run migrate -- --rolled-back <migration name>');
    const done = await rollBack(url, name);
    console.log(
      done ? `Marked ${name} rolled back; the next start retries it.` : `No failed migration named ${name}.`,
    );
    return;
  }
  const db = await openDatabase({ url });
  try {
    const { applied } = db.migrations;
    console.log(
      applied.length
        ? `Applied ${applied.join(', ')} to ${db.location}.`
        : `${db.location} is up to date; nothing to apply.`,
    );
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
