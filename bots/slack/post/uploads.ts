import { createReadStream } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import type { webApi } from '@slack/bolt';
import type { PlatformCapabilities } from '../../../src/chat/platform-capabilities';
import type { FileAttachment, Reply } from '../../../src/chat/replies';
import { renderPlainTable } from '../../../src/render/plain-text';
import { attachedTables } from '../render/blocks';

export interface UploadFile {
  file: Buffer;
  filename: string;
  title: string;
  alt_text?: string;
}

/** The files a reply carries: its images (charts) and the tables attached instead of shown (see attachedTables). */
export function filesOf(reply: Reply): UploadFile[] {
  const images = (reply.images ?? []).map((image) => ({
    file: Buffer.from(image.png),
    filename: image.filename,
    title: image.title ?? image.filename,
    alt_text: image.altText.slice(0, 1000),
  }));
  const tables = [...attachedTables(reply)].map(([table, filename], i) => ({
    file: Buffer.from(`${renderPlainTable(table)}\n`, 'utf8'),
    filename,
    title: table.title ?? `Table ${i + 1}`,
  }));
  return [...images, ...tables];
}

/** One files.uploadV2 call (three Web API steps) that shares every file in the channel or thread. */
export async function uploadFiles(
  client: webApi.WebClient,
  channel: string,
  threadTs: string | undefined,
  files: UploadFile[],
): Promise<void> {
  if (!files.length) return;
  await client.filesUploadV2({
    channel_id: channel,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    file_uploads: files,
  });
}

/**
 * Slack's limit on one uploaded file: 1 GB. The bytes go raw to the URL files.getUploadURLExternal
 * gives (https://docs.slack.dev/reference/methods/files.getUploadURLExternal).
 */
export const SLACK_MAX_UPLOAD_BYTES = 1024 ** 3;

export const SLACK_CAPABILITIES: PlatformCapabilities = { maxUploadBytes: SLACK_MAX_UPLOAD_BYTES };

/** An upload that sends nothing for this long is given up. */
export const UPLOAD_IDLE_MS = 60_000;

/**
 * Sends one local file's bytes to the URL files.getUploadURLExternal gave, raw (as Slack accepts
 * them), streamed from disk with its length declared: never read whole into memory.
 */
function postFile(url: string, file: FileAttachment, idleMs: number): Promise<void> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<void>((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': file.contentType ?? 'application/octet-stream',
          'content-length': String(file.bytes),
        },
      },
      (res) => {
        res.resume();
        res.on('error', reject);
        res.on('end', () =>
          res.statusCode === 200
            ? resolve()
            : reject(new Error(`Slack refused the upload of ${file.filename} (HTTP ${res.statusCode})`)),
        );
      },
    );
    req.setTimeout(idleMs, () =>
      req.destroy(new Error(`the upload of ${file.filename} stalled for ${idleMs / 1000} s`)),
    );
    req.on('error', reject);
    pipeline(createReadStream(file.path), req).catch(reject);
  });
}

/**
 * Shares local files in the channel or thread with the three Web API steps files.uploadV2 takes
 * (files.getUploadURLExternal per file, the bytes to its URL, one files.completeUploadExternal),
 * streaming each file from disk: the WebClient's files.uploadV2 reads a path or stream whole into
 * memory first, which a file of hundreds of MB must not be. The files must have been checked
 * (withSendableFiles): present, measured, within SLACK_MAX_UPLOAD_BYTES.
 */
export async function uploadLocalFiles(
  client: webApi.WebClient,
  channel: string,
  threadTs: string | undefined,
  files: readonly FileAttachment[],
  idleMs = UPLOAD_IDLE_MS,
): Promise<void> {
  const uploaded: webApi.FilesCompleteUploadExternalArguments['files'][number][] = [];
  for (const file of files) {
    const { upload_url: url, file_id: id } = await client.files.getUploadURLExternal({
      filename: file.filename,
      length: file.bytes,
    });
    if (!url || !id) throw new Error(`Slack gave no upload URL for ${file.filename}`);
    await postFile(url, file, idleMs);
    uploaded.push({ id, title: file.title ?? file.filename });
  }
  const [first, ...more] = uploaded;
  if (!first) return;
  await client.files.completeUploadExternal({
    files: [first, ...more],
    channel_id: channel,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
}
