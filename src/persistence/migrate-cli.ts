/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL (the same step every start does).
 * `npm run migrate -- --rolled-back <migration>` marks a failed migration rolled back so the next
 * run retries it, after its partial changes were undone by hand.
 */
import pg from 'pg';
import { openDatabase, parseDatabaseUrl, resolveDatabaseUrl } from './database.js';
import { markRolledBack } from './migrate.js';
import { describeConnectError } from './postgres-errors.js';

async function rollBack(url: string, migration: string): Promise<void> {
  const target = parseDatabaseUrl(url);
  if (target.kind !== 'postgres') {
    throw new Error(
      '--rolled-back is for PostgreSQL; an embedded database can be deleted and recreated instead',
    );
  }
  const client = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 10_000 });
  await client.connect().catch((e: unknown) => {
    throw new Error(describeConnectError(target.url, e));
  });
  try {
    const session = {
      query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows,
      exec: async (script: string) => {
        await client.query(script);
      },
    };
    const done = await markRolledBack(session, migration);
    console.log(done ? `Marked ${migration} rolled back.` : `No failed migration named ${migration}.`);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const url = resolveDatabaseUrl(process.env);
  const [flag, name] = process.argv.slice(2);
  if (flag === '--rolled-back') {
    if (!name) throw new Error('usage: npm run migrate -- --rolled-back <migration name>');
    return rollBack(url, name);
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
