/**
 * What every adapter checks before it sends a reply's files: each file is there, is a regular file
 * with something in it, and fits the platform's upload limit. Files that do not are left out and the
 * reply says why, in a line per file, so a stale path or an archive grown past the limit costs the
 * user a sentence rather than the whole reply (or a crash of the poster).
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatBytes } from '../format/units';
import type { PlatformCapabilities } from './platform-capabilities';
import type { FileAttachment, Reply } from './replies';

/** A file ready to send: its path made absolute and its size as measured just now. */
export type SendableFile = FileAttachment;

export interface RefusedFile {
  file: FileAttachment;
  /** Why it was not sent, for the user (no server path in it). */
  reason: string;
}

export interface CheckedFiles {
  sendable: SendableFile[];
  refused: RefusedFile[];
}

/** Measures one file; the reason it cannot be sent, or the file as it will be sent. */
async function checkOne(
  file: FileAttachment,
  capabilities: PlatformCapabilities,
  platformName: string,
): Promise<SendableFile | RefusedFile> {
  const path = resolve(file.path);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return { file, reason: 'it is not a regular file' };
    size = info.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      return { file, reason: 'the file is missing (it may have been removed)' };
    return { file, reason: `the file could not be read (${code ?? (e as Error).message})` };
  }
  if (size === 0) return { file, reason: 'the file is empty' };
  const max = capabilities.maxUploadBytes;
  if (max !== undefined && size > max) {
    return {
      file,
      reason: `it is ${formatBytes(size)}, over ${platformName}'s upload limit of ${formatBytes(max)}`,
    };
  }
  return { ...file, path, bytes: size };
}

/** Checks every file of a list (in order): which can be sent, which cannot and why. */
export async function checkFileAttachments(
  files: readonly FileAttachment[],
  capabilities: PlatformCapabilities,
  platformName: string,
): Promise<CheckedFiles> {
  const checked = await Promise.all(files.map((f) => checkOne(f, capabilities, platformName)));
  const sendable: SendableFile[] = [];
  const refused: RefusedFile[] = [];
  for (const c of checked) {
    if ('reason' in c) refused.push(c);
    else sendable.push(c);
  }
  return { sendable, refused };
}

/** The line a reply carries in place of a file that was not sent. */
export function refusalLine(refused: RefusedFile): string {
  const name = refused.file.filename.replace(/[`\n\r]/g, '') || 'file';
  return `_\`${name}\` was not attached: ${refused.reason}._`;
}

/**
 * The reply as an adapter sends it: only the files that can be sent (measured, absolute paths) and a
 * line for each that cannot. A reply without files is returned as it is.
 */
export async function withSendableFiles(
  reply: Reply,
  capabilities: PlatformCapabilities,
  platformName: string,
): Promise<{ reply: Reply; refused: RefusedFile[] }> {
  if (!reply.files?.length) return { reply, refused: [] };
  const { sendable, refused } = await checkFileAttachments(reply.files, capabilities, platformName);
  const notes = refused.map(refusalLine);
  const text = notes.length ? [reply.text, ...notes].filter(Boolean).join('\n\n') : reply.text;
  const { files: _all, ...rest } = reply;
  return { reply: { ...rest, text, ...(sendable.length ? { files: sendable } : {}) }, refused };
}
