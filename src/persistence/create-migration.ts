/**
 * `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql for
 * whatever the schema changed since the last migration (the `prisma migrate dev --create-only`
 * step, done with the wasm schema engine so it works without Prisma's native binaries).
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { defaultMigrationsDir } from './migration-files.js';
import { planMigration } from './schema-engine.js';

async function main(): Promise<number> {
  const name = process.argv[2];
  if (!name || !/^[A-Za-z0-9_]+$/.test(name)) {
    console.error('usage: npm run db:migration -- <name>   (letters, digits and _ only)');
    return 2;
  }
  const created = await planMigration(name);
  if (!created) {
    console.log('The schema and the migrations already agree: no migration written.');
    return 0;
  }
  const dir = join(defaultMigrationsDir, created.name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'migration.sql'), created.script);
  const lockPath = join(defaultMigrationsDir, 'migration_lock.toml');
  if (!existsSync(lockPath)) await writeFile(lockPath, created.lockfile);
  console.log(`Wrote ${relative(process.cwd(), join(dir, 'migration.sql'))}; review it, then commit it.`);
  return 0;
}

// The engine leaves a timer behind, and a failure should end the script at once: exit explicitly.
main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
