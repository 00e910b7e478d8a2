/**
 * Files a reply shares, on the console: copied into the output folder whole (no upload limit) and
 * printed with where they are; a file that is gone is named with the reason, and the rest of the
 * reply still prints.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConsoleChat } from '../../../bots/console/console-chat';
import type { ConversationEngine } from '../../../src/conversation/engine';

const dir = mkdtempSync(join(tmpdir(), 'faceoff-console-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('console: files in replies', () => {
  const printed: string[] = [];
  const out = join(dir, 'out');
  const chat = new ConsoleChat({} as ConversationEngine, (t) => printed.push(t), out);

  it('copies the file into the output folder and prints its path, size and title', async () => {
    const bytes = Buffer.alloc(3 * 1024 ** 2 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 251;
    const source = join(dir, 'adapter.tar.gz');
    writeFileSync(source, bytes);
    await chat.show({
      text: 'Your *adapter*:',
      files: [{ filename: 'adapter-abc.tar.gz', path: source, bytes: bytes.length, title: 'LoRA adapter' }],
    });
    const copy = join(out, '001-adapter-abc.tar.gz');
    assert.equal(sha(readFileSync(copy)), sha(bytes));
    assert.equal(printed.at(-1), `bot> Your adapter:\n     [file] ${copy} (3.00 MB): LoRA adapter`);
  });

  it('a missing file is named with the reason; nothing is copied and nothing throws', async () => {
    await chat.show({
      text: 'Your adapter:',
      files: [{ filename: 'gone.tar.gz', path: join(dir, 'gone.tar.gz'), bytes: 10 }],
    });
    assert.equal(
      printed.at(-1),
      'bot> Your adapter:\n     \n     gone.tar.gz was not attached: the file is missing (it may have been removed).',
    );
  });
});
