/**
 * Resumable multi-part uploads. The upload id is remembered in a small state file (keyed by bucket,
 * key, file size and modification time); an interrupted upload (a crash, a stopped worker, a lost
 * connection) resumes on the next put: the parts S3 already holds (ListParts, checked against the
 * local part's MD5) are skipped and only the rest go up. @aws-sdk/lib-storage retries parts but
 * cannot resume an upload across processes, hence this. Each request still uses the SDK's retries.
 * A bucket lifecycle rule should abort incomplete multi-part uploads after a few days (README).
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

export interface MultipartUpload {
  client: S3Client;
  bucket: string;
  key: string;
  file: string;
  partBytes: number;
  stateDir: string;
  contentType?: string;
  signal?: AbortSignal;
  onPart?: (part: number, parts: number) => void;
  /** Parts in flight at once. */
  concurrency?: number;
}

interface UploadState {
  uploadId: string;
  bucket: string;
  key: string;
  size: number;
  mtimeMs: number;
  partBytes: number;
}

interface DonePart {
  PartNumber: number;
  ETag: string;
}

export async function uploadInParts(upload: MultipartUpload): Promise<void> {
  const { client, bucket, key, file, partBytes, signal } = upload;
  const info = await stat(file);
  const parts = Math.max(1, Math.ceil(info.size / partBytes));
  const statePath = path.join(
    upload.stateDir,
    `${createHash('sha256').update(`${bucket}\n${key}`).digest('hex').slice(0, 32)}.json`,
  );
  const state = await readState(statePath, {
    bucket,
    key,
    size: info.size,
    mtimeMs: info.mtimeMs,
    partBytes,
  });
  let uploadId = state?.uploadId;
  const done = new Map<number, string>();
  if (uploadId) {
    const stored = await storedParts(client, bucket, key, uploadId, signal);
    if (stored === undefined) uploadId = undefined;
    else for (const [n, etag] of stored) done.set(n, etag);
  }
  if (!uploadId) {
    const created = await client.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        ...(upload.contentType ? { ContentType: upload.contentType } : {}),
      }),
      { abortSignal: signal },
    );
    if (!created.UploadId) throw new Error('the storage server gave no upload id');
    uploadId = created.UploadId;
    await mkdir(upload.stateDir, { recursive: true });
    const fresh: UploadState = { uploadId, bucket, key, size: info.size, mtimeMs: info.mtimeMs, partBytes };
    await writeFile(statePath, JSON.stringify(fresh));
  }

  const handle = await open(file, 'r');
  try {
    const readPart = async (n: number): Promise<Buffer> => {
      const start = (n - 1) * partBytes;
      const length = Math.min(partBytes, info.size - start);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, start);
      return buffer;
    };
    const finished: DonePart[] = [];
    const todo: number[] = [];
    for (let n = 1; n <= parts; n++) {
      const etag = done.get(n);
      if (etag && (await sameContent(etag, await readPart(n)))) finished.push({ PartNumber: n, ETag: etag });
      else todo.push(n);
    }
    const id = uploadId;
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < todo.length) {
        signal?.throwIfAborted();
        const n = todo[next++] as number;
        const body = await readPart(n);
        const answer = await client.send(
          new UploadPartCommand({
            Bucket: bucket,
            Key: key,
            UploadId: id,
            PartNumber: n,
            Body: body,
            ContentLength: body.length,
          }),
          { abortSignal: signal },
        );
        if (!answer.ETag) throw new Error(`the storage server gave no ETag for part ${n}`);
        finished.push({ PartNumber: n, ETag: answer.ETag });
        upload.onPart?.(n, parts);
      }
    };
    await Promise.all(Array.from({ length: Math.min(upload.concurrency ?? 4, todo.length) }, lane));
    signal?.throwIfAborted();
    finished.sort((a, b) => a.PartNumber - b.PartNumber);
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: id,
        MultipartUpload: { Parts: finished },
      }),
      { abortSignal: signal },
    );
  } finally {
    await handle.close();
  }
  await rm(statePath, { force: true });
}

/** The upload this file started earlier, when the file is unchanged since. */
async function readState(
  file: string,
  expected: Omit<UploadState, 'uploadId'>,
): Promise<UploadState | undefined> {
  try {
    const state = JSON.parse(await readFile(file, 'utf8')) as UploadState;
    const same =
      state.bucket === expected.bucket &&
      state.key === expected.key &&
      state.size === expected.size &&
      state.mtimeMs === expected.mtimeMs &&
      state.partBytes === expected.partBytes &&
      typeof state.uploadId === 'string';
    return same ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Parts the server holds for the upload, or undefined when the upload is gone (completed or aborted). */
async function storedParts(
  client: S3Client,
  bucket: string,
  key: string,
  uploadId: string,
  signal: AbortSignal | undefined,
): Promise<Map<number, string> | undefined> {
  const out = new Map<number, string>();
  let marker: string | undefined;
  try {
    do {
      const page = await client.send(
        new ListPartsCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          ...(marker ? { PartNumberMarker: marker } : {}),
        }),
        { abortSignal: signal },
      );
      for (const part of page.Parts ?? []) {
        if (part.PartNumber && part.ETag) out.set(part.PartNumber, part.ETag);
      }
      marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
    } while (marker);
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchUpload') return undefined;
    throw error;
  }
  return out;
}

/** A stored part's ETag is the MD5 of its bytes (unless the bucket encrypts with KMS: then re-upload). */
async function sameContent(etag: string, body: Buffer): Promise<boolean> {
  return etag.replace(/"/g, '') === createHash('md5').update(body).digest('hex');
}
