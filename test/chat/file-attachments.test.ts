/**
 * File attachments in the neutral core: what each platform carries reaches a command as
 * `ctx.platform`, and every adapter's check of a reply's files (present, a regular file, not empty,
 * within the limit) leaves out what cannot be sent and says why in the reply.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ConversationRef } from '../../src/chat/conversation';
import { checkFileAttachments, withSendableFiles } from '../../src/chat/file-attachments';
import type { PlatformCapabilities } from '../../src/chat/platform-capabilities';
import {
  fitsUpload,
  PlatformCapabilityRegistry,
  UNKNOWN_PLATFORM,
} from '../../src/chat/platform-capabilities';
import type { FileAttachment } from '../../src/chat/replies';
import { ConversationEngine } from '../../src/conversation/engine';

const dir = mkdtempSync(join(tmpdir(), 'faceoff-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fileOf(name: string, bytes: number): FileAttachment {
  const path = join(dir, name);
  writeFileSync(path, Buffer.alloc(bytes, 7));
  return { filename: name, path, bytes, contentType: 'application/gzip' };
}

describe('platform capabilities', () => {
  it('the console has no upload limit; an unregistered platform takes no uploads; adapters register theirs', () => {
    const platforms = new PlatformCapabilityRegistry();
    assert.deepEqual(platforms.of('console'), {});
    assert.equal(platforms.of('slack'), UNKNOWN_PLATFORM);
    assert.equal(fitsUpload(platforms.of('console'), 5 * 1024 ** 4), true);
    assert.equal(fitsUpload(platforms.of('slack'), 1), false);
    platforms.register('discord', { maxUploadBytes: 10 * 1024 ** 2 });
    assert.equal(fitsUpload(platforms.of('discord'), 10 * 1024 ** 2), true);
    assert.equal(fitsUpload(platforms.of('discord'), 10 * 1024 ** 2 + 1), false);
  });

  it("a command sees its conversation's platform as ctx.platform", async () => {
    const seen: PlatformCapabilities[] = [];
    const engine = new ConversationEngine({
      sessions: {} as never,
      decisions: {} as never,
      teams: { ensure: async () => {} } as never,
      sessionTtlMs: 60_000,
      commands: {
        cost: async (ctx) => {
          seen.push(ctx.platform);
          return [];
        },
      },
    });
    engine.platforms.register('discord', { maxUploadBytes: 1234 });
    const run = (conversation: ConversationRef) =>
      engine.handle({ kind: 'command', text: '/faceoff cost', user: { id: 'u' }, conversation });
    await run({ platform: 'discord', workspace: 'g', channel: 'c' });
    await run({ platform: 'console', workspace: 'local', channel: 'console' });
    await run({ platform: 'slack', workspace: 'T1', channel: 'C1' });
    assert.deepEqual(seen, [{ maxUploadBytes: 1234 }, {}, { maxUploadBytes: 0 }]);
  });
});

describe('checking the files of a reply', () => {
  it('measures each file again, makes its path absolute and keeps its name, type and title', async () => {
    const file = { ...fileOf('adapter.tar.gz', 3000), bytes: 1, title: 'LoRA adapter' };
    const relativePath = relative(process.cwd(), file.path);
    const { sendable, refused } = await checkFileAttachments(
      [{ ...file, path: relativePath }],
      { maxUploadBytes: 3000 },
      'Discord',
    );
    assert.deepEqual(refused, []);
    assert.deepEqual(sendable, [{ ...file, bytes: 3000 }]);
  });

  it('refuses a file over the limit, a missing one, an empty one and a folder, each with its reason', async () => {
    mkdirSync(join(dir, 'folder.tar.gz'));
    const files = [
      fileOf('big.tar.gz', 2049),
      { filename: 'gone.tar.gz', path: join(dir, 'nothing-here.tar.gz'), bytes: 10 },
      fileOf('empty.tar.gz', 0),
      { filename: 'folder.tar.gz', path: join(dir, 'folder.tar.gz'), bytes: 10 },
      fileOf('fits.tar.gz', 2048),
    ];
    const { sendable, refused } = await checkFileAttachments(files, { maxUploadBytes: 2048 }, 'Discord');
    assert.deepEqual(
      sendable.map((f) => f.filename),
      ['fits.tar.gz'],
    );
    assert.deepEqual(
      refused.map((r) => [r.file.filename, r.reason]),
      [
        ['big.tar.gz', "it is 2.00 KB, over Discord's upload limit of 2.00 KB"],
        ['gone.tar.gz', 'the file is missing (it may have been removed)'],
        ['empty.tar.gz', 'the file is empty'],
        ['folder.tar.gz', 'it is not a regular file'],
      ],
    );
  });

  it('a file of a terabyte is refused from its size alone (a sparse file: nothing is read)', async () => {
    const path = join(dir, 'huge.tar.gz');
    writeFileSync(path, '');
    truncateSync(path, 1024 ** 4);
    const { refused } = await checkFileAttachments(
      [{ filename: 'huge.tar.gz', path, bytes: 1024 ** 4 }],
      { maxUploadBytes: 1024 ** 3 },
      'Slack',
    );
    assert.equal(refused[0]?.reason, "it is 1.00 TB, over Slack's upload limit of 1.00 GB");
  });

  it('the reply keeps the files it can send and names the others in its text', async () => {
    const ok = fileOf('ok.tar.gz', 10);
    const reply = {
      text: 'Your adapter:',
      files: [ok, { filename: 'a`b.tar.gz', path: join(dir, 'missing'), bytes: 5 }],
    };
    const { reply: sent, refused } = await withSendableFiles(reply, { maxUploadBytes: 100 }, 'Slack');
    assert.equal(refused.length, 1);
    assert.deepEqual(sent.files, [ok]);
    assert.equal(
      sent.text,
      'Your adapter:\n\n_`ab.tar.gz` was not attached: the file is missing (it may have been removed)._',
    );
    const none = await withSendableFiles(
      { text: 'x', files: [{ filename: 'm', path: join(dir, 'missing'), bytes: 1 }] },
      {},
      'the console',
    );
    assert.equal(none.reply.files, undefined);
    const plain = { text: 'no files' };
    assert.equal((await withSendableFiles(plain, {}, 'Slack')).reply, plain);
  });
});
