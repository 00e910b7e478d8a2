import type { webApi } from '@slack/bolt';
import type { Reply } from '../../../src/chat/replies';
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
