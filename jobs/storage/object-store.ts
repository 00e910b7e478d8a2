/**
 * Where datasets and run artifacts live: a local directory (one host, or a shared file system) or
 * an S3-compatible bucket (workers on any host). Keys are relative, `/`-separated paths such as
 * `datasets/slack_T1/<sha256>.jsonl` or `artifacts/cmp-1/run-1/adapter/adapter_config.json`.
 * A stored object is named in the database by its *ref*: an absolute path for the local
 * directory (what Faceoff always stored), `s3://bucket/prefix/key` for a bucket.
 */

export interface StoredObject {
  key: string;
  bytes: number;
}

export type StorageErrorKind = 'not_found' | 'access_denied' | 'unavailable' | 'interrupted' | 'failed';

/** A storage failure in plain words: which object, what went wrong (never a credential). */
export class StorageError extends Error {
  override name = 'StorageError';
  constructor(
    readonly kind: StorageErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface PutOptions {
  contentType?: string;
  /** Stops the upload; a multi-part upload keeps its finished parts and resumes on the next put. */
  signal?: AbortSignal;
  /** Called as each part of a multi-part upload is stored (1-based part number, of `parts`). */
  onPart?: (part: number, parts: number) => void;
}

export interface ObjectStore {
  readonly kind: 'local' | 's3';
  /** Where it is, for logs and errors: `directory /srv/faceoff` or `s3://bucket/prefix/`. */
  readonly description: string;
  /** The ref the database keeps for a key. */
  ref(key: string): string;
  /** The key of a ref this store holds, or undefined when the ref belongs elsewhere. */
  keyOf(ref: string): string | undefined;
  /** Stores a local file under the key (replacing what was there). */
  put(key: string, file: string, options?: PutOptions): Promise<StoredObject>;
  /** Writes the object into a local file (through a temporary file: a failed download leaves nothing). */
  download(key: string, file: string, signal?: AbortSignal): Promise<StoredObject>;
  /** The object's size, or undefined when there is none under the key. */
  head(key: string): Promise<StoredObject | undefined>;
  /** Every object whose key starts with the prefix. */
  list(prefix: string): Promise<StoredObject[]>;
  /** Removes the objects (missing ones are not an error). */
  delete(keys: readonly string[]): Promise<void>;
  /** A download link that expires after `seconds`, or undefined where the store has none. */
  link(key: string, seconds: number, filename?: string): Promise<string | undefined>;
}

const SAFE_SEGMENT = /^[\w.@=+-]{1,200}$/;

/**
 * Checks a key: relative, `/`-separated, no empty, `.` or `..` segments, plain characters only
 * (a trailing `/` names a prefix).
 */
export function checkKey(key: string): string {
  const segments = (key.endsWith('/') ? key.slice(0, -1) : key).split('/');
  if (
    key.length > 900 ||
    segments.some((s) => !SAFE_SEGMENT.test(s) || s === '.' || s === '..' || /^\.+$/.test(s))
  ) {
    throw new StorageError(
      'failed',
      `"${key.slice(0, 120)}" is not a storage key (letters, digits, . _ - / only)`,
    );
  }
  return key;
}

/** A team key (`slack:T1`) as one key segment (`slack_T1`), as dataset directories always were. */
export const teamSegment = (team: string): string => team.replace(/[^\w-]/g, '_');

export const datasetKey = (team: string, sha256: string): string =>
  `datasets/${teamSegment(team)}/${sha256}.jsonl`;

export const runArtifactKey = (comparisonId: string, runId: string): string =>
  `artifacts/${comparisonId}/${runId}`;

export const jobArtifactPrefix = (comparisonId: string): string => `artifacts/${comparisonId}/`;

/** What an adapter needs of a stored run (`<run>/adapter/…` and `<run>/result.json`), from a listing of it. */
export function adapterObjects(objects: readonly StoredObject[], runKey: string): StoredObject[] {
  return objects.filter((o) => {
    const rest = o.key.slice(runKey.length + 1);
    return o.key.startsWith(`${runKey}/`) && (rest === 'result.json' || rest.startsWith('adapter/'));
  });
}
