/**
 * File bodies as a misbehaving server sends them, for the local Slack and Discord stand-ins: long or
 * endless bodies with or without Content-Length, slow trickles, late answers. Each serving records
 * how much was written before the client hung up.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface BodyPlan {
  /** Bytes the server is willing to send. */
  total: number;
  /** Default 64 KiB. */
  chunkBytes?: number;
  /** Pause after each chunk. */
  intervalMs?: number;
  /** Send Content-Length (the true total); default: no length, chunked. */
  declareLength?: boolean;
  /** Wait this long before sending the status line and headers. */
  answerAfterMs?: number;
}

export interface ServedBody {
  path: string;
  /** Bytes handed to the socket before the body ended or the client closed the connection. */
  sent: number;
  /** The whole planned body was sent. */
  complete: boolean;
}

/** Serves one body by `plan`; resolves when it ended or the client went away. */
export async function serveBody(path: string, res: ServerResponse, plan: BodyPlan): Promise<ServedBody> {
  let closed = false;
  const hungUp = once(res, 'close').then(() => {
    closed = true;
  });
  if (plan.answerAfterMs) await Promise.race([sleep(plan.answerAfterMs, undefined, { ref: false }), hungUp]);
  if (closed) return { path, sent: 0, complete: false };
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    ...(plan.declareLength ? { 'content-length': String(plan.total) } : {}),
  });
  const chunk = Buffer.alloc(plan.chunkBytes ?? 64 * 1024, '{"prompt":"a","completion":"b"}\n');
  let sent = 0;
  while (!closed && sent < plan.total) {
    const piece = chunk.subarray(0, Math.min(chunk.length, plan.total - sent));
    const flushed = res.write(piece);
    sent += piece.length;
    if (!flushed) await Promise.race([once(res, 'drain'), hungUp]);
    if (plan.intervalMs) await Promise.race([sleep(plan.intervalMs, undefined, { ref: false }), hungUp]);
  }
  const complete = !closed && sent >= plan.total;
  if (!closed) res.end();
  return { path, sent, complete };
}
