/**
 * Packs a run's adapter for `/faceoff adapter`: `<name>/adapter/*` and `<name>/result.json` in one
 * .tar.gz. A run kept in a local directory is packed from there; a run in the bucket is packed once
 * from its stored files and the archive is stored beside them (`…/adapter.tar.gz`), so that a link
 * to it can be given and the next request needs no packing.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { create as createTar } from 'tar';
import type { AdapterPackage, AdapterPackager } from '../src/comparison/adapter-package';
import { err, ok, type Result } from '../src/parsing/result';
import { adapterObjects, type ObjectStore, StorageError } from './storage/object-store';

export interface AdapterPackagerOptions {
  /** The bucket runs were uploaded to (none: artifacts are local directories). */
  store?: ObjectStore;
  /** Where archives are built and kept for attaching. */
  cacheDir: string;
  /** How long a download link works (S3 allows at most 7 days). */
  linkSeconds: number;
}

export const DEFAULT_LINK_SECONDS = 24 * 3600;
const ARCHIVE = 'adapter.tar.gz';

export class ArchiveAdapterPackager implements AdapterPackager {
  constructor(private readonly options: AdapterPackagerOptions) {}

  async pack(
    run: { id: string; jobId: string; artifactPath: string | null },
    filename: string,
    fits: (bytes: number) => boolean,
  ): Promise<Result<AdapterPackage>> {
    const ref = run.artifactPath;
    if (!ref) return err(`run ${run.id} left no files (it did not finish on a worker)`);
    const local = path.join(this.options.cacheDir, 'adapters', run.jobId, run.id, filename);
    try {
      if (/^[a-z0-9]+:\/\//.test(ref)) return await this.fromStore(ref, local, filename, fits);
      return await this.fromDirectory(ref, local, filename, fits, run.id);
    } catch (error) {
      if (error instanceof StorageError)
        return err(`the adapter of run ${run.id} could not be read: ${error.message}`);
      throw error;
    }
  }

  private async fromDirectory(
    runDir: string,
    local: string,
    filename: string,
    fits: (bytes: number) => boolean,
    runId: string,
  ): Promise<Result<AdapterPackage>> {
    if (!(await isFile(path.join(runDir, 'adapter', 'adapter_config.json')))) {
      return err(
        `the adapter files of run ${runId} are not on this host (removed by retention, or trained by a worker on another host without object storage)`,
      );
    }
    if (!(await isFile(local))) await packDirectory(runDir, local, filename);
    const bytes = (await stat(local)).size;
    if (fits(bytes)) return ok({ filename, bytes, file: local });
    return ok({
      filename,
      bytes,
      whereabouts:
        'this deployment keeps artifacts on the bot host\'s disk (no object storage for a download link): an operator finds it in the cache directory under "adapters"',
    });
  }

  private async fromStore(
    ref: string,
    local: string,
    filename: string,
    fits: (bytes: number) => boolean,
  ): Promise<Result<AdapterPackage>> {
    const store = this.options.store;
    const key = store?.keyOf(ref);
    if (!store || key === undefined) {
      return err(
        `the run's files are in ${ref.split('/').slice(0, 3).join('/')}, which this bot is not configured to read`,
      );
    }
    const archiveKey = `${key}/${ARCHIVE}`;
    let stored = await store.head(archiveKey);
    if (!stored) {
      const objects = adapterObjects(await store.list(`${key}/`), key);
      if (!objects.some((o) => o.key === `${key}/adapter/adapter_config.json`)) {
        return err('no adapter is stored for this run (a full fine-tuning run, or one removed by retention)');
      }
      const staging = path.join(this.options.cacheDir, 'adapters', `.staging-${randomUUID()}`);
      try {
        for (const object of objects) {
          await store.download(
            object.key,
            path.join(staging, ...object.key.slice(key.length + 1).split('/')),
          );
        }
        await packDirectory(staging, local, filename);
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
      stored = await store.put(archiveKey, local, { contentType: 'application/gzip' });
    }
    if (fits(stored.bytes)) {
      if ((await stat(local).catch(() => undefined))?.size !== stored.bytes)
        await store.download(archiveKey, local);
      return ok({ filename, bytes: stored.bytes, file: local });
    }
    const url = await store.link(archiveKey, this.options.linkSeconds, filename);
    if (!url)
      return ok({ filename, bytes: stored.bytes, whereabouts: `it is stored at ${store.ref(archiveKey)}` });
    return ok({
      filename,
      bytes: stored.bytes,
      link: { url, expiresAt: new Date(Date.now() + this.options.linkSeconds * 1000) },
    });
  }
}

/** `<name>/adapter/…` and `<name>/result.json` of a run directory, as a gzipped tar at `out`. */
async function packDirectory(runDir: string, out: string, filename: string): Promise<void> {
  const name = filename.replace(/\.tar\.gz$/, '');
  const entries = ['adapter', ...((await isFile(path.join(runDir, 'result.json'))) ? ['result.json'] : [])];
  const adapterFiles = await readdir(path.join(runDir, 'adapter'));
  if (!adapterFiles.length) throw new StorageError('not_found', 'the adapter directory is empty');
  await mkdir(path.dirname(out), { recursive: true });
  const partial = `${out}.partial-${randomUUID()}`;
  try {
    await createTar({ gzip: true, file: partial, cwd: runDir, prefix: name, portable: true }, entries);
    await rename(partial, out);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}
