import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ConversationRef } from '../../src/chat/conversation';
import { refusalLine, withSendableFiles } from '../../src/chat/file-attachments';
import type { IncomingEvent, UserRef } from '../../src/chat/incoming';
import type { FileAttachment, Reply } from '../../src/chat/replies';
import type { ConversationEngine } from '../../src/conversation/engine';
import { renderPlainReply } from '../../src/render/plain-text';
import { localFile } from './local-file';

export const CONSOLE_CONVERSATION: ConversationRef = {
  platform: 'console',
  workspace: 'local',
  channel: 'console',
};
export const CONSOLE_USER: UserRef = { id: 'console-user', name: 'you', isAdmin: true };

/**
 * The console platform: each typed line becomes a neutral event; replies print as plain text. Images
 * and files are saved into the output folder (files copied, never read into memory; no size limit)
 * and the reply prints where.
 */
export class ConsoleChat {
  private savedCount = 0;
  /** The latest job id a reply mentioned; `$job` in a typed line stands for it (handy in scripts). */
  private lastJobId: string | undefined;

  constructor(
    private readonly engine: ConversationEngine,
    private readonly print: (text: string) => void,
    private readonly outDir: string,
  ) {}

  eventFor(line: string): IncomingEvent {
    const text = line.trim();
    const base = { conversation: CONSOLE_CONVERSATION, user: CONSOLE_USER };
    const upload = /^\/upload\s+(.+)$/.exec(text);
    if (upload?.[1]) {
      return { ...base, kind: 'file', file: localFile(upload[1].trim()) };
    }
    return /^\/faceoff\b/i.test(text)
      ? { ...base, kind: 'command', text }
      : { ...base, kind: 'message', text };
  }

  /** Sends one typed line and prints every reply; returns the replies. */
  async send(typed: string): Promise<Reply[]> {
    const line = this.lastJobId ? typed.replace(/\$job\b/g, this.lastJobId) : typed;
    const replies = await this.engine.handle(this.eventFor(line));
    for (const reply of replies) {
      const id = /Comparison (\w+)\*? queued/.exec(reply.text)?.[1];
      if (id) this.lastJobId = id;
    }
    if (replies.length === 0 && !/^\/faceoff\b/i.test(line.trim())) {
      this.print('bot> (no questionnaire is running; type /faceoff help)');
    }
    for (const reply of replies) await this.show(reply);
    return replies;
  }

  /** Prints a reply that did not answer a typed line (job progress, notices). */
  async show(shown: Reply): Promise<void> {
    const paths: string[] = [];
    for (const image of shown.images ?? []) paths.push(await this.saveImage(image.filename, image.png));
    let { reply } = await withSendableFiles(shown, {}, 'the console');
    const filePaths: string[] = [];
    const copied: FileAttachment[] = [];
    const failed: string[] = [];
    for (const file of reply.files ?? []) {
      try {
        filePaths.push(await this.copyFile(file));
        copied.push(file);
      } catch (e) {
        const reason = `it could not be copied (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
        failed.push(refusalLine({ file, reason }));
      }
    }
    if (reply.files) reply = { ...reply, files: copied, text: [reply.text, ...failed].join('\n\n') };
    const text = renderPlainReply(reply, paths, filePaths);
    this.print(`bot> ${text.replace(/\n/g, '\n     ')}`);
  }

  private async nextPath(filename: string): Promise<string> {
    await mkdir(this.outDir, { recursive: true });
    this.savedCount += 1;
    const name = basename(filename).replace(/[^\w.-]+/g, '_') || 'file';
    return join(this.outDir, `${String(this.savedCount).padStart(3, '0')}-${name}`);
  }

  private async saveImage(filename: string, png: Uint8Array): Promise<string> {
    const path = await this.nextPath(filename);
    await writeFile(path, png);
    return path;
  }

  /** Copies a file into the output folder (the kernel copies it; nothing is held in memory). */
  private async copyFile(file: FileAttachment): Promise<string> {
    const path = await this.nextPath(file.filename);
    await copyFile(file.path, path);
    return path;
  }
}
