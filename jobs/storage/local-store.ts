/**
 * The local directory as an object store: a key is a file under the root. The embedded default,
 * and what a deployment with one host (or a shared file system) uses.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { checkKey, type ObjectStore, StorageError, type StoredObject } from './object-store';

export class LocalStore implements ObjectStore {
  readonly kind = 'local' as const;
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  get description(): string {
    return `directory ${this.root}`;
  }

  ref(key: string): string {
    return this.pathOf(key);
  }

  keyOf(ref: string): string | undefined {
    if (!path.isAbsolute(ref)) return undefined;
    const relative = path.relative(this.root, path.resolve(ref));
    if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    return relative.split(path.sep).join('/');
  }

  /** The file that holds the key. */
  pathOf(key: string): string {
    return path.join(this.root, ...checkKey(key).split('/'));
  }

  async put(key: string, file: string): Promise<StoredObject> {
    return {
      key,
      bytes: await copyThrough(file, this.pathOf(key), `could not store ${key} in ${this.description}`),
    };
  }

  async download(key: string, file: string): Promise<StoredObject> {
    return {
      key,
      bytes: await copyThrough(this.pathOf(key), file, `could not read ${key} from ${this.description}`),
    };
  }

  async head(key: string): Promise<StoredObject | undefined> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { key, bytes: info.size } : undefined;
    } catch {
      return undefined;
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    const walk = async (dir: string, keyPrefix: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const key = `${keyPrefix}${entry.name}`;
        if (entry.isDirectory()) await walk(path.join(dir, entry.name), `${key}/`);
        else if (entry.isFile() && key.startsWith(prefix) && !entry.name.includes('.partial-')) {
          out.push({ key, bytes: (await stat(path.join(dir, entry.name))).size });
        }
      }
    };
    // Walk from the deepest whole directory of the prefix.
    const dirPart = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/') + 1) : '';
    await walk(dirPart ? this.pathOf(dirPart.slice(0, -1)) : this.root, dirPart);
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) await rm(this.pathOf(key), { force: true });
  }

  async link(): Promise<undefined> {
    return undefined;
  }
}

/** Copies through a temporary file beside the target, so a failed copy leaves nothing; returns the size. */
async function copyThrough(source: string, target: string, what: string): Promise<number> {
  await mkdir(path.dirname(target), { recursive: true });
  const partial = `${target}.partial-${randomUUID()}`;
  try {
    await copyFile(source, partial);
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw failure(error, what);
  }
  return (await stat(target)).size;
}

function failure(error: unknown, what: string): StorageError {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return new StorageError('not_found', `${what}: no such file`, { cause: error });
  if (code === 'EACCES' || code === 'EPERM') {
    return new StorageError('access_denied', `${what}: permission denied`, { cause: error });
  }
  return new StorageError('failed', `${what}: ${(error as Error).message}`, { cause: error });
}
