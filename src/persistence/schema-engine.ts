/**
 * Prisma's schema engine compiled to WebAssembly, driven over an in-memory PGlite database.
 * Development only (creating migrations, checking that schema and migrations agree): the
 * native engine that `prisma migrate` uses cannot be downloaded everywhere this project runs.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { MigrationList, SchemaEngine, SchemasContainer } from '@prisma/schema-engine-wasm';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import { engineAdapterFactory } from './engine-adapter.js';
import { defaultMigrationsDir } from './migration-files.js';

export const defaultSchemaPath = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));

let initialised = false;

/** The few WebAssembly globals used here (the project's `lib` setting has no DOM types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => {
    exports: Record<string, unknown>;
  };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Node 20 cannot import `.wasm` modules: instantiate the engine by hand, once per process. */
async function loadWasm(): Promise<void> {
  if (initialised) return;
  const gluePath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = await readFile(join(dirname(gluePath), 'schema_engine_bg.wasm'));
  // The engine arms timers it never clears; unref them so a finished process can exit.
  const imports: Record<string, unknown> = { ...glue };
  for (const [name, fn] of Object.entries(glue)) {
    if (name.startsWith('__wbg_setTimeout_') && typeof fn === 'function') {
      imports[name] = (...args: unknown[]) => {
        const timer = (fn as (...a: unknown[]) => unknown)(...args);
        (timer as { unref?: () => void } | undefined)?.unref?.();
        return timer;
      };
    }
  }
  const instance = new wasmApi.Instance(new wasmApi.Module(bytes), { './schema_engine_bg.js': imports });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  initialised = true;
}

export interface EngineSession {
  engine: SchemaEngine;
  schema: SchemasContainer;
  migrations: () => Promise<MigrationList>;
  close(): Promise<void>;
}

export interface EngineOptions {
  schemaPath?: string;
  migrationsDir?: string;
  /** The database the engine works on; a throwaway in-memory one by default. */
  db?: PGlite;
}

/** Starts the engine on a throwaway in-memory database with the project's schema loaded. */
export async function startSchemaEngine(opts: EngineOptions = {}): Promise<EngineSession> {
  await loadWasm();
  const schemaPath = opts.schemaPath ?? defaultSchemaPath;
  const migrationsDir = opts.migrationsDir ?? defaultMigrationsDir;
  const content = await readFile(schemaPath, 'utf8');
  const db = opts.db ?? new PGlite();
  const engine = await glue.SchemaEngine.new(
    { datamodels: [[schemaPath, content]] },
    () => {},
    engineAdapterFactory(db),
  );
  return {
    engine,
    schema: { files: [{ path: schemaPath, content }] },
    migrations: () => readMigrationList(migrationsDir),
    close: async () => {
      engine.free();
      if (!opts.db) await db.close();
    },
  };
}

/** The migrations directory in the shape the engine expects (what the Prisma CLI sends). */
export async function readMigrationList(baseDir: string): Promise<MigrationList> {
  const lockPath = 'migration_lock.toml';
  const lockContent = await readFile(join(baseDir, lockPath), 'utf8').catch(() => null);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  dirs.sort((a, b) => a.localeCompare(b));
  const migrationDirectories = await Promise.all(
    dirs.map(async (name) => {
      const content = await readFile(join(baseDir, name, 'migration.sql'), 'utf8')
        .then((value) => ({ tag: 'ok' as const, value }))
        .catch((e: Error) => ({ tag: 'error' as const, value: e.message }));
      return { path: name, migrationFile: { path: 'migration.sql', content } };
    }),
  );
  return {
    baseDir,
    lockfile: { path: lockPath, content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

const noFilters = { externalTables: [], externalEnums: [] };

/** SQL that would bring the committed migrations to the schema; empty when they agree. */
export async function diffMigrationsAgainstSchema(opts: EngineOptions = {}): Promise<string> {
  const session = await startSchemaEngine(opts);
  try {
    const result = await session.engine.diff({
      from: { tag: 'migrations', ...(await session.migrations()) },
      to: { tag: 'schemaDatamodel', ...session.schema },
      script: true,
      exitCode: true,
      filters: noFilters,
    });
    return result.exitCode === 0 ? '' : (result.stdout ?? '').trim();
  } finally {
    await session.close();
  }
}

export interface CreatedMigration {
  name: string;
  script: string;
  lockfile: string;
}

/**
 * The next migration from the schema diff, as `prisma migrate dev --create-only` would write it
 * (the engine only creates one after applying the history and running its dev diagnostic).
 * Returns null when the migrations already match the schema.
 */
export async function planMigration(
  name: string,
  opts: EngineOptions = {},
): Promise<CreatedMigration | null> {
  const session = await startSchemaEngine(opts);
  try {
    const migrationsList = await session.migrations();
    await session.engine.applyMigrations({ migrationsList, filters: noFilters });
    const diagnostic = await session.engine.devDiagnostic({ migrationsList, filters: noFilters });
    if (diagnostic.action.tag === 'reset') {
      throw new Error(`the migration history does not replay cleanly: ${diagnostic.action.reason}`);
    }
    const out = await session.engine.createMigration({
      draft: false,
      migrationName: name,
      migrationsList,
      schema: session.schema,
      filters: noFilters,
    });
    if (out.migrationScript === null) return null;
    const lockfile = `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${out.connectorType}"\n`;
    return { name: out.generatedMigrationName, script: out.migrationScript, lockfile };
  } finally {
    await session.close();
  }
}
