/**
 * A file attached to a Discord message, streamed from its attachment URL into the file the core
 * names. Attachments come only from Discord's CDN over https, or from the host of DISCORD_API_URL
 * (a proxy, the local Discord stand-in in tests); a redirect is followed only on the same host.
 */
import type { Attachment } from 'discord.js';
import { type DownloadedFile, FileTransferError, type SharedFile } from '../../src/chat/incoming';
import {
  DOWNLOAD_TIMEOUTS,
  type DownloadTimeouts,
  discard,
  fileTooLarge,
  TimedDownload,
} from '../streamed-download';

export const DISCORD_CDN_HOSTS: readonly string[] = ['cdn.discordapp.com', 'media.discordapp.net'];
const MAX_REDIRECTS = 2;

type AttachmentFields = Pick<Attachment, 'name' | 'size' | 'url' | 'contentType'>;

function allowed(url: URL, apiUrl: string | undefined): boolean {
  if (url.username || url.password) return false;
  if (url.protocol === 'https:' && url.port === '' && DISCORD_CDN_HOSTS.includes(url.hostname)) return true;
  if (!apiUrl) return false;
  const api = new URL(apiUrl);
  return url.protocol === api.protocol && url.host === api.host;
}

/** The attachment's address when it may be fetched; a FileTransferError (before any request) when not. */
export function attachmentUrl(raw: string, apiUrl: string | undefined): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FileTransferError('the attachment has no valid address');
  }
  if (!allowed(url, apiUrl)) {
    throw new FileTransferError(`attachments are fetched from Discord's CDN only, not from ${url.hostname}`);
  }
  return url;
}

/** Checks the declared size and the host, then streams the attachment into `toPath`. */
export async function downloadAttachment(
  attachment: Pick<Attachment, 'name' | 'size' | 'url'>,
  apiUrl: string | undefined,
  toPath: string,
  maxBytes: number,
  timeouts: DownloadTimeouts = DOWNLOAD_TIMEOUTS,
): Promise<DownloadedFile> {
  if (attachment.size > maxBytes) throw fileTooLarge(maxBytes);
  let url = attachmentUrl(attachment.url, apiUrl);
  const download = new TimedDownload(timeouts);
  for (let hops = 0; ; hops++) {
    const response = await download.request(url);
    if (response.status >= 300 && response.status < 400) {
      await discard(response);
      const location = response.headers.get('location');
      const next = location && URL.canParse(location, url.href) ? new URL(location, url) : undefined;
      if (!next || next.protocol !== url.protocol || next.host !== url.host) {
        throw new FileTransferError('Discord redirected the download to another host; refused');
      }
      if (hops >= MAX_REDIRECTS) throw new FileTransferError('Discord redirected the download too often');
      url = next;
      continue;
    }
    if (!response.ok) {
      await discard(response);
      throw new FileTransferError(`Discord answered ${response.status} for ${attachment.name}`);
    }
    return download.save(response, toPath, maxBytes);
  }
}

/** The attachment as the core's shared file; `apiUrl` is DISCORD_API_URL when set. */
export function sharedFile(
  attachment: AttachmentFields,
  apiUrl?: string,
  timeouts: DownloadTimeouts = DOWNLOAD_TIMEOUTS,
): SharedFile {
  return {
    name: attachment.name,
    size: attachment.size,
    ...(attachment.contentType ? { mimeType: attachment.contentType } : {}),
    download: (toPath, maxBytes) => downloadAttachment(attachment, apiUrl, toPath, maxBytes, timeouts),
  };
}

/** Attachments read as datasets. */
export const isDatasetFile = (name: string) => /\.jsonl?$/i.test(name);
