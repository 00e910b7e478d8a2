import type { webApi } from '@slack/bolt';
import type { Reply } from '../../../src/chat/replies';
import { renderPlainTable } from '../../../src/render/plain-text';
import { tableFitsInline } from '../render/blocks';

export interface UploadFile {
  file: Buffer;
  filename: string;
  title: string;
  alt_text?: string;
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'table';

/** The files a reply carries: its images (charts) and any table too large for a message. */
export function filesOf(reply: Reply): UploadFile[] {
  const images = (reply.images ?? []).map((image) => ({
    file: Buffer.from(image.png),
    filename: image.filename,
    title: image.title ?? image.filename,
    alt_text: image.altText.slice(0, 1000),
  }));
  const tables = (reply.tables ?? [])
    .filter((table) => !tableFitsInline(table))
    .map((table, i) => ({
      file: Buffer.from(`${renderPlainTable(table)}\n`, 'utf8'),
      filename: `${slug(table.title ?? `table-${i + 1}`)}.txt`,
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
