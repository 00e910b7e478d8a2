/**
 * An S3-compatible bucket as the object store (AWS S3, MinIO, Cloudflare R2, Google Cloud
 * Storage's S3 interface) through the AWS SDK v3. Credentials come from the SDK's standard chain
 * (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profiles, instance roles); nothing here logs them.
 * Files larger than one part go up as resumable multi-part uploads (multipart-upload.ts).
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { uploadInParts } from './multipart-upload';
import { checkKey, type ObjectStore, type PutOptions, StorageError, type StoredObject } from './object-store';

export interface S3StoreOptions {
  bucket: string;
  /** Prepended to every key (`team-a/faceoff/`); empty for the bucket's root. */
  prefix?: string;
  region?: string;
  /** For MinIO, R2 and other S3-compatible servers. */
  endpoint?: string;
  /** Bucket in the path (`http://host/bucket/key`) rather than the host name; MinIO needs it. */
  forcePathStyle?: boolean;
  /** Files above this go up in parts of this size (at least 5 MiB, S3's smallest part). */
  partBytes?: number;
  /** Where unfinished multi-part uploads remember their upload id, so they resume. */
  stateDir: string;
  /** Parts of one file in flight at once (default 4). */
  partConcurrency?: number;
  /** Tries per request (the SDK's own retry with backoff). */
  maxAttempts?: number;
  /** Explicit credentials (tests); otherwise the SDK's standard chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const DEFAULT_PART_BYTES = 16 * 1024 * 1024;

export class S3Store implements ObjectStore {
  readonly kind = 's3' as const;
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix: string;
  private readonly partBytes: number;
  private readonly stateDir: string;
  private readonly partConcurrency: number;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.prefix = normalisePrefix(options.prefix ?? '');
    this.partBytes = Math.max(MIN_PART_BYTES, options.partBytes ?? DEFAULT_PART_BYTES);
    this.stateDir = options.stateDir;
    this.partConcurrency = options.partConcurrency ?? 4;
    this.client = new S3Client({
      region: options.region ?? 'us-east-1',
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? false,
      maxAttempts: options.maxAttempts ?? 4,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // S3-compatible servers differ in which optional checksums they accept; send them only
      // where S3 requires them.
      ...(options.endpoint
        ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
        : {}),
    });
  }

  get description(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  ref(key: string): string {
    return `s3://${this.bucket}/${this.objectKey(key)}`;
  }

  keyOf(ref: string): string | undefined {
    const head = `s3://${this.bucket}/${this.prefix}`;
    return ref.startsWith(head) && ref.length > head.length ? ref.slice(head.length) : undefined;
  }

  private objectKey(key: string): string {
    return `${this.prefix}${checkKey(key)}`;
  }

  async put(key: string, file: string, options: PutOptions = {}): Promise<StoredObject> {
    const objectKey = this.objectKey(key);
    const { size } = await stat(file);
    try {
      if (size > this.partBytes) {
        await uploadInParts({
          client: this.client,
          bucket: this.bucket,
          key: objectKey,
          file,
          partBytes: this.partBytes,
          stateDir: this.stateDir,
          contentType: options.contentType,
          signal: options.signal,
          onPart: options.onPart,
          concurrency: this.partConcurrency,
        });
      } else {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: objectKey,
            // In memory (at most one part): a retried request can send the body again, a stream cannot.
            Body: await readFile(file),
            ContentLength: size,
            ...(options.contentType ? { ContentType: options.contentType } : {}),
          }),
          { abortSignal: options.signal },
        );
      }
    } catch (error) {
      throw this.failure(error, `could not upload ${key}`);
    }
    return { key, bytes: size };
  }

  async download(key: string, file: string, signal?: AbortSignal): Promise<StoredObject> {
    await mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.partial-${randomUUID()}`;
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
        {
          abortSignal: signal,
        },
      );
      await pipeline(answer.Body as Readable, createWriteStream(partial), { signal });
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw this.failure(error, `could not download ${key}`);
    }
    return { key, bytes: (await stat(file)).size };
  }

  async head(key: string): Promise<StoredObject | undefined> {
    try {
      const answer = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      return { key, bytes: answer.ContentLength ?? 0 };
    } catch (error) {
      const failure = this.failure(error, `could not look up ${key}`);
      if (failure.kind === 'not_found' && !isMissingBucket(error)) return undefined;
      throw failure;
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: `${this.prefix}${prefix}`,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        for (const object of page.Contents ?? []) {
          if (object.Key) out.push({ key: object.Key.slice(this.prefix.length), bytes: object.Size ?? 0 });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw this.failure(error, `could not list ${prefix}`);
    }
    return out;
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      try {
        const answer = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((key) => ({ Key: this.objectKey(key) })), Quiet: true },
          }),
        );
        const refused = answer.Errors?.[0];
        if (refused) {
          throw new StorageError(
            'failed',
            `could not delete ${refused.Key}: ${refused.Code} ${refused.Message ?? ''}`,
          );
        }
      } catch (error) {
        if (error instanceof StorageError) throw error;
        throw this.failure(error, `could not delete ${batch.length} object(s)`);
      }
    }
  }

  async link(key: string, seconds: number, filename?: string): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.objectKey(key),
      ...(filename
        ? { ResponseContentDisposition: `attachment; filename="${filename.replace(/"/g, '')}"` }
        : {}),
    });
    return await getSignedUrl(this.client, command, { expiresIn: seconds });
  }

  /** An SDK error as a StorageError naming the bucket, never the credentials. */
  failure(error: unknown, what: string): StorageError {
    if (error instanceof StorageError) return error;
    const where = `${what} (${this.description})`;
    const e = error as {
      name?: string;
      code?: string;
      message?: string;
      $metadata?: { httpStatusCode?: number };
    };
    const status = e.$metadata?.httpStatusCode;
    const name = e.name ?? '';
    if (name === 'AbortError' || name === 'RequestAbortedError') {
      return new StorageError('interrupted', `${where}: interrupted`, { cause: error });
    }
    if (isMissingBucket(error)) {
      return new StorageError('not_found', `${where}: the bucket ${this.bucket} does not exist`, {
        cause: error,
      });
    }
    if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
      return new StorageError('not_found', `${where}: no such object`, { cause: error });
    }
    if (
      [
        'AccessDenied',
        'InvalidAccessKeyId',
        'SignatureDoesNotMatch',
        'Forbidden',
        'CredentialsProviderError',
      ].includes(name) ||
      status === 403
    ) {
      return new StorageError(
        'access_denied',
        `${where}: access denied (${name || status}); check the credentials and the bucket's permissions`,
        { cause: error },
      );
    }
    if (
      ['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN'].includes(e.code ?? '') ||
      name === 'TimeoutError' ||
      (status !== undefined && status >= 500)
    ) {
      return new StorageError(
        'unavailable',
        `${where}: the storage server is unavailable (${e.code ?? name ?? status})`,
        {
          cause: error,
        },
      );
    }
    return new StorageError('failed', `${where}: ${name ? `${name}: ` : ''}${e.message ?? String(error)}`, {
      cause: error,
    });
  }
}

function isMissingBucket(error: unknown): boolean {
  return (error as { name?: string }).name === 'NoSuchBucket';
}

function normalisePrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/^\/+|\/+$/g, '');
  if (!trimmed) return '';
  checkKey(trimmed);
  return `${trimmed}/`;
}
