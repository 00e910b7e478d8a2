import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import {
  applyMigrations,
  MigrationError,
  markRolledBack,
  type SqlSession,
} from '../../src/persistence/migrate.js';
import {
  defaultMigrationsDir,
  migrationChecksum,
  readMigrationFiles,
} from '../../src/persistence/migration-files.js';
import {
  diffMigrationsAgainstSchema,
  readMigrationList,
  startSchemaEngine,
} from '../../src/persistence/schema-engine.js';
import { pgClientSession, pgliteSession } from '../../src/persistence/sql-sessions.js';
import { postgresBackend } from './backends.js';

const quiet = { warn: () => {} };
const noFilters = { externalTables: [], externalEnums: [] };

/** A copy of the committed migrations plus extra ones, in a temporary directory. */
async function migrationsWith(extra: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'faceoff-migrations-'));
  await cp(defaultMigrationsDir, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

const broken =
  'CREATE TABLE "Partial" ("id" TEXT PRIMARY KEY);\nALTER TABLE "NoSuchTable" ADD COLUMN "x" INT;\n';
const fixed = 'CREATE TABLE "Partial" ("id" TEXT PRIMARY KEY);\n';
const later = 'CREATE TABLE "Later" ("id" TEXT PRIMARY KEY);\n';
const tableExists = async (db: SqlSession, name: string) =>
  (await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [`"${name}"`]))[0]?.t !== null;

/** The applier's behaviour, the same on each database. */
function applierSuite(open: () => Promise<{ db: SqlSession; close(): Promise<void> }>) {
  it('applies the committed migrations once, recording them as Prisma Migrate does', async () => {
    const { db, close } = await open();
    try {
      const files = await readMigrationFiles();
      assert.deepEqual(
        (await applyMigrations(db, quiet)).applied,
        files.map((f) => f.name),
      );
      assert.deepEqual((await applyMigrations(db, quiet)).applied, []);
      const rows = await db.query<{
        migration_name: string;
        checksum: string;
        finished: boolean;
        applied_steps_count: number;
      }>(
        'SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
      );
      const first = files[0];
      assert.ok(first);
      const onDisk = await readFile(join(defaultMigrationsDir, first.name, 'migration.sql'));
      assert.deepEqual(rows[0], {
        migration_name: first.name,
        checksum: migrationChecksum(onDisk),
        finished: true,
        applied_steps_count: 1,
      });
      assert.equal(rows.length, files.length);
    } finally {
      await close();
    }
  });

  it('stops at a failing migration, naming it, and refuses to run past the failed row', async () => {
    const { db, close } = await open();
    const dir = await migrationsWith({ '20990101000000_broken': broken });
    try {
      await assert.rejects(applyMigrations(db, { ...quiet, migrationsDir: dir }), (e: MigrationError) => {
        assert.ok(e instanceof MigrationError);
        assert.equal(e.migration, '20990101000000_broken');
        assert.match(e.message, /migration 20990101000000_broken failed: .*NoSuchTable/);
        return true;
      });
      assert.equal(await tableExists(db, 'Partial'), false, 'the failed script is rolled back as a whole');
      const [row] = await db.query<{ finished_at: Date | null; logs: string | null }>(
        `SELECT finished_at, logs FROM "_prisma_migrations" WHERE migration_name = '20990101000000_broken'`,
      );
      assert.equal(row?.finished_at, null);
      assert.match(row?.logs ?? '', /NoSuchTable/);

      // Fixing the file and adding a later migration changes nothing while the failed row stands.
      await writeFile(join(dir, '20990101000000_broken', 'migration.sql'), fixed);
      await mkdir(join(dir, '20990102000000_later'));
      await writeFile(join(dir, '20990102000000_later', 'migration.sql'), later);
      await assert.rejects(applyMigrations(db, { ...quiet, migrationsDir: dir }), (e: MigrationError) => {
        assert.equal(e.migration, '20990101000000_broken');
        assert.match(e.message, /failed earlier and is unresolved.*--rolled-back 20990101000000_broken/s);
        return true;
      });
      assert.equal(await tableExists(db, 'Later'), false);

      assert.equal(await markRolledBack(db, '20990101000000_broken'), true);
      const result = await applyMigrations(db, { ...quiet, migrationsDir: dir });
      assert.deepEqual(result.applied, ['20990101000000_broken', '20990102000000_later']);
      assert.equal(await tableExists(db, 'Later'), true);
    } finally {
      await close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports migrations edited after they were applied', async () => {
    const { db, close } = await open();
    const dir = await migrationsWith({ '20990101000000_later': later });
    try {
      await applyMigrations(db, { ...quiet, migrationsDir: dir });
      await writeFile(join(dir, '20990101000000_later', 'migration.sql'), `${later}-- edited\n`);
      const warnings: string[] = [];
      const result = await applyMigrations(db, { migrationsDir: dir, warn: (m) => warnings.push(m) });
      assert.deepEqual(result.edited, ['20990101000000_later']);
      assert.match(warnings.join('\n'), /changed after they were applied: 20990101000000_later/);
    } finally {
      await close();
      await rm(dir, { recursive: true, force: true });
    }
  });
}

describe('committed migrations', () => {
  it('agree with prisma/schema.prisma (the schema engine finds nothing to add)', async () => {
    assert.equal(await diffMigrationsAgainstSchema(), '');
  });

  it('leave a database the schema engine sees as fully migrated', async () => {
    const db = new PGlite();
    await applyMigrations(pgliteSession(db), quiet);
    const session = await startSchemaEngine({ db });
    try {
      const migrationsList = await readMigrationList(defaultMigrationsDir);
      const diagnosis = await session.engine.diagnoseMigrationHistory({
        migrationsList,
        optInToShadowDatabase: false,
        filters: noFilters,
      });
      assert.equal(diagnosis.history, null);
      assert.deepEqual(diagnosis.failedMigrationNames, []);
      assert.deepEqual(diagnosis.editedMigrationNames, []);
    } finally {
      await session.close();
      await db.close();
    }
  });
});

describe('migration applier on embedded PGlite', () => {
  applierSuite(async () => {
    const db = new PGlite();
    return { db: pgliteSession(db), close: () => db.close() };
  });
});

const server = await postgresBackend();

describe('migration applier on PostgreSQL', { skip: 'skip' in server ? server.skip : false }, () => {
  const backends: { cleanup(): Promise<void> }[] = [];
  after(async () => {
    for (const b of backends) await b.cleanup();
  });
  before(() => {
    if ('backend' in server) backends.push(server.backend);
  });
  const open = async () => {
    const created = await postgresBackend();
    if (!('backend' in created)) throw new Error(created.skip);
    backends.push(created.backend);
    const client = new pg.Client({ connectionString: created.backend.url });
    await client.connect();
    return { db: pgClientSession(client), close: () => client.end(), url: created.backend.url };
  };
  applierSuite(open);

  it('lets one of several concurrent appliers do the work (advisory lock)', async () => {
    const first = await open();
    const clients = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const client = new pg.Client({ connectionString: first.url });
        await client.connect();
        return client;
      }),
    );
    try {
      const results = await Promise.all(
        [first.db, ...clients.map(pgClientSession)].map((db) => applyMigrations(db, quiet)),
      );
      const files = await readMigrationFiles();
      assert.equal(results.filter((r) => r.applied.length === files.length).length, 1);
      assert.equal(results.filter((r) => r.applied.length === 0).length, 3);
    } finally {
      await first.close();
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});
