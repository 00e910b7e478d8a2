import type { Attachment } from 'discord.js';
import type { SharedFile } from '../../src/chat/incoming';

export const DOWNLOAD_TIMEOUT_MS = 60_000;

/** A file attached to a Discord message, downloaded from its attachment URL when the engine asks for it. */
export function sharedFile(
  attachment: Pick<Attachment, 'name' | 'size' | 'url' | 'contentType'>,
): SharedFile {
  return {
    name: attachment.name,
    size: attachment.size,
    ...(attachment.contentType ? { mimeType: attachment.contentType } : {}),
    fetch: async () => {
      const response = await fetch(attachment.url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`downloading ${attachment.name} failed: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

/** Attachments read as datasets. */
export const isDatasetFile = (name: string) => /\.jsonl?$/i.test(name);
