/** The committed migrations (`prisma/migrations/<timestamp>_<name>/migration.sql`), as Prisma Migrate lays them out. */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const defaultMigrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

export interface MigrationFile {
  /** Directory name, e.g. `20250101120000_init`; also the `migration_name` recorded in the database. */
  name: string;
  script: string;
  /** sha256 of the file, hex: the `checksum` Prisma records. */
  checksum: string;
}

export function migrationChecksum(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Every migration in the directory, oldest first (directory names sort by their timestamp). */
export async function readMigrationFiles(dir: string = defaultMigrationsDir): Promise<MigrationFile[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new Error(`cannot read the migrations directory ${dir}: ${(e as Error).message}`);
  }
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  names.sort((a, b) => a.localeCompare(b));
  return Promise.all(
    names.map(async (name) => {
      const file = join(dir, name, 'migration.sql');
      const bytes = await readFile(file).catch((e: Error) => {
        throw new Error(`migration ${name} has no readable migration.sql (${e.message})`);
      });
      return { name, script: bytes.toString('utf8'), checksum: migrationChecksum(bytes) };
    }),
  );
}
