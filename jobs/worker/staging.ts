/**
 * Files for a run on a worker that shares no disk with the bot: before the trainer starts, what
 * its config names in the bucket (datasets by content hash, the skill adapters a combination
 * run combines) is fetched into the worker's cache and checked; after it finishes, its results go
 * up to the bucket under `artifacts/<comparison>/<run>/`. The trainer itself only ever sees local
 * paths: it needs no storage client and no credentials (its environment is an allow-list), and
 * the same trainer runs with a local directory or a bucket.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { adapterObjects, type ObjectStore, runArtifactKey, StorageError } from '../storage/object-store';
import { isCombineConfig, type RunConfig } from '../trainer-protocol';

/** A run's staging failed: `kind` says whether trying again can help. */
export class StagingError extends Error {
  override name = 'StagingError';
  constructor(
    readonly kind: 'bad_data' | 'storage',
    message: string,
  ) {
    super(message);
  }
}

const HASH_NAMED = /^([0-9a-f]{64})\.jsonl$/;
/** Left in a run's directory between the trainer finishing and its upload completing. */
export const UNPUBLISHED_MARKER = '.unpublished';
/** Files of a run directory that never go up: the resumable checkpoint, worker bookkeeping. */
const NEVER_UPLOADED = new Set(['checkpoint', UNPUBLISHED_MARKER]);

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * Replaces the bucket refs in a run's config with local files in `cacheDir`, fetching what is not
 * there yet; datasets named by their hash are checked against it (local paths too).
 */
export async function stageInputs(
  config: RunConfig,
  store: ObjectStore | undefined,
  cacheDir: string,
  signal?: AbortSignal,
): Promise<void> {
  const dataset = (ref: string) => stageDataset(ref, store, cacheDir, signal);
  if ('dataset_path' in config && config.dataset_path)
    config.dataset_path = await dataset(config.dataset_path);
  if (config.skill_datasets) {
    for (const [skill, ref] of Object.entries(config.skill_datasets))
      config.skill_datasets[skill] = await dataset(ref);
  }
  if (isCombineConfig(config)) {
    for (const [skill, ref] of Object.entries(config.adapters)) {
      config.adapters[skill] = await stageRunDirectory(ref, store, cacheDir, signal);
    }
  }
}

async function stageDataset(
  ref: string,
  store: ObjectStore | undefined,
  cacheDir: string,
  signal?: AbortSignal,
): Promise<string> {
  const key = keyIn(ref, store);
  let local = ref;
  if (key !== undefined && store) {
    const name = path.posix.basename(key);
    local = path.join(cacheDir, 'datasets', HASH_NAMED.test(name) ? name : key.replaceAll('/', '_'));
    if (!(await exists(local))) await fetch(store, key, local, signal);
  }
  const expected = HASH_NAMED.exec(path.basename(local))?.[1];
  if (expected) {
    let actual: string;
    try {
      actual = await sha256Of(local);
    } catch {
      throw new StagingError(
        'bad_data',
        `the dataset file ${path.basename(local)} is missing on this worker`,
      );
    }
    if (actual !== expected) {
      if (key !== undefined) await rm(local, { force: true });
      throw new StagingError(
        'bad_data',
        `the dataset ${path.basename(local)} does not match its hash (sha256 ${actual.slice(0, 12)}…): it was changed after it was registered`,
      );
    }
  }
  return local;
}

/** A finished run's directory in the bucket (its adapter and result.json), mirrored into the cache. */
async function stageRunDirectory(
  ref: string,
  store: ObjectStore | undefined,
  cacheDir: string,
  signal?: AbortSignal,
): Promise<string> {
  const key = keyIn(ref, store);
  if (key === undefined || !store) return ref;
  const local = path.join(cacheDir, ...key.split('/'));
  let objects: Awaited<ReturnType<ObjectStore['list']>>;
  try {
    objects = await store.list(`${key}/`);
  } catch (error) {
    throw storageFailure(error, `could not list ${ref}`);
  }
  const wanted = adapterObjects(objects, key);
  if (!wanted.some((o) => o.key.endsWith('/adapter/adapter_config.json'))) {
    throw new StagingError('bad_data', `no adapter is stored under ${ref}`);
  }
  for (const object of wanted) {
    const file = path.join(local, ...object.key.slice(key.length + 1).split('/'));
    const have = await stat(file).catch(() => undefined);
    if (have?.size !== object.bytes) await fetch(store, object.key, file, signal);
  }
  return local;
}

/** The key of a bucket ref; undefined for a local path. A ref to another bucket is an error. */
function keyIn(ref: string, store: ObjectStore | undefined): string | undefined {
  if (!/^[a-z0-9]+:\/\//.test(ref)) return undefined;
  const key = store?.keyOf(ref);
  if (key === undefined) {
    throw new StagingError(
      'bad_data',
      store
        ? `${ref} is not in this worker's storage (${store.description})`
        : `${ref} is in object storage, but this worker has no bucket configured (FACEOFF_S3_BUCKET)`,
    );
  }
  return key;
}

async function fetch(store: ObjectStore, key: string, file: string, signal?: AbortSignal): Promise<void> {
  try {
    await store.download(key, file, signal);
  } catch (error) {
    throw storageFailure(error, `could not fetch ${key}`);
  }
}

function storageFailure(error: unknown, what: string): StagingError {
  if (error instanceof StorageError && error.kind === 'not_found') {
    return new StagingError('bad_data', `${what}: ${error.message}`);
  }
  return new StagingError('storage', error instanceof Error ? error.message : `${what}: ${String(error)}`);
}

export interface PublishOptions {
  store: ObjectStore;
  comparisonId: string;
  runId: string;
  outputDir: string;
  /** Full fine-tuned weights (model/) go up too; otherwise they stay on the worker only. */
  fullWeights: boolean;
  /** The run's metric series (its step and eval events), written as metrics.jsonl. */
  series?: readonly unknown[];
  signal?: AbortSignal;
  log?: (message: string) => void;
}

/**
 * Uploads a finished run's directory and returns its ref. Marks the directory first, so that a
 * failed upload is finished by the next attempt without training again (`pendingPublish`).
 */
export async function publishRun(options: PublishOptions): Promise<string> {
  const { store, outputDir } = options;
  await writeFile(path.join(outputDir, UNPUBLISHED_MARKER), '');
  if (options.series) {
    await writeFile(
      path.join(outputDir, 'metrics.jsonl'),
      options.series.map((event) => JSON.stringify(event)).join('\n') + (options.series.length ? '\n' : ''),
    );
  }
  const key = runArtifactKey(options.comparisonId, options.runId);
  let bytes = 0;
  const files = await filesUnder(outputDir, (relative) => {
    const top = relative.split('/')[0] ?? '';
    if (NEVER_UPLOADED.has(top)) return false;
    return top !== 'model' || options.fullWeights;
  });
  // Results last: a reader that finds result.json finds the adapter beside it.
  files.sort((a, b) => Number(a === 'result.json') - Number(b === 'result.json') || a.localeCompare(b));
  for (const relative of files) {
    const file = path.join(outputDir, ...relative.split('/'));
    try {
      const stored = await store.put(`${key}/${relative}`, file, {
        signal: options.signal,
        contentType: relative.endsWith('.json') ? 'application/json' : undefined,
      });
      bytes += stored.bytes;
    } catch (error) {
      throw new StagingError(
        'storage',
        `the run finished, but uploading ${relative} failed: ${error instanceof Error ? error.message : String(error)}; the results are kept on this worker and the upload is tried again`,
      );
    }
  }
  await rm(path.join(outputDir, UNPUBLISHED_MARKER), { force: true });
  options.log?.(`uploaded ${files.length} files (${bytes} bytes) to ${store.ref(key)}`);
  return store.ref(key);
}

/** A run an earlier attempt finished but could not upload (its result.json is there, its marker too). */
export async function pendingPublish(outputDir: string): Promise<boolean> {
  return (
    (await exists(path.join(outputDir, UNPUBLISHED_MARKER))) &&
    (await exists(path.join(outputDir, 'result.json')))
  );
}

async function filesUnder(root: string, keep: (relative: string) => boolean, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(root, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (!keep(relative)) continue;
    if (entry.isDirectory()) out.push(...(await filesUnder(root, keep, relative)));
    else if (entry.isFile()) out.push(relative);
  }
  return out;
}

async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined)) !== undefined;
}
