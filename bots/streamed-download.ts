/**
 * Downloads for the chat adapters over plain fetch, straight into a file: a deadline for connecting
 * and the answer's headers, one for the whole transfer, no redirect followed on its own, and a size
 * cap counted while the body streams, so a large or endless body is cut off as soon as it passes the
 * cap and is never held in memory.
 */
import { createHash } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { type DownloadedFile, FileTransferError } from '../src/chat/incoming';
import { formatBytes } from '../src/format/units';

export interface DownloadTimeouts {
  /** From the request until the status line and headers arrive, connecting included. */
  connectMs: number;
  /** The whole download: every request (redirects included) and the body. */
  totalMs: number;
}

export const DOWNLOAD_TIMEOUTS: DownloadTimeouts = { connectMs: 15_000, totalMs: 120_000 };

export const fileTooLarge = (maxBytes: number) =>
  new FileTransferError(`the file is larger than ${formatBytes(maxBytes)}`);

const seconds = (ms: number) => `${ms % 1000 === 0 ? ms / 1000 : (ms / 1000).toFixed(1)} s`;

/**
 * Writes the chunks into a new file at `toPath`, counting and hashing them. Once more
 * than `maxBytes` arrived it stops reading (which cancels a network body) and removes the file; any
 * other failure removes it too.
 */
export async function writeLimited(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  toPath: string,
  maxBytes: number,
): Promise<DownloadedFile> {
  const out = await open(toPath, 'wx');
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) throw fileTooLarge(maxBytes);
      hash.update(chunk);
      await out.write(chunk);
    }
    await out.close();
  } catch (e) {
    await out.close().catch(() => {});
    await rm(toPath, { force: true });
    throw e;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Lets go of a body that will not be read, so its connection is closed rather than drained. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

/** One download: its requests share the total deadline; then one answer's body is saved. */
export class TimedDownload {
  private readonly total: AbortSignal;

  constructor(private readonly timeouts: DownloadTimeouts = DOWNLOAD_TIMEOUTS) {
    this.total = AbortSignal.timeout(timeouts.totalMs);
  }

  /** One request; redirects come back as they are (3xx), for the caller to judge. */
  async request(url: URL, init: Omit<RequestInit, 'signal' | 'redirect'> = {}): Promise<Response> {
    const answer = new AbortController();
    const timer = setTimeout(() => answer.abort(), this.timeouts.connectMs);
    try {
      return await fetch(url, {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.any([this.total, answer.signal]),
      });
    } catch (e) {
      if (answer.signal.aborted && !this.total.aborted) {
        throw new FileTransferError(
          `${url.hostname} did not answer within ${seconds(this.timeouts.connectMs)}`,
        );
      }
      throw this.failure(e);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Streams the answer's body into `toPath`, refusing a declared or counted length over `maxBytes`. */
  async save(response: Response, toPath: string, maxBytes: number): Promise<DownloadedFile> {
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > maxBytes) {
      await discard(response);
      throw fileTooLarge(maxBytes);
    }
    try {
      return await writeLimited(response.body ?? [], toPath, maxBytes);
    } catch (e) {
      throw this.failure(e);
    }
  }

  /** Network failures and deadlines in words for the user; anything else (a full disk) as it is. */
  private failure(e: unknown): unknown {
    if (e instanceof FileTransferError) return e;
    if (this.total.aborted) {
      return new FileTransferError(`the download took longer than ${seconds(this.timeouts.totalMs)}`);
    }
    if (e instanceof TypeError) {
      const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
      const why = typeof cause?.code === 'string' ? cause.code : String(cause?.message ?? e.message);
      return new FileTransferError(`the download failed (${why.slice(0, 120)})`);
    }
    return e;
  }
}
