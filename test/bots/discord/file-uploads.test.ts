/**
 * Files a reply shares, through the real discord.js client to the Discord stand-in (which refuses
 * an attachment over 10 MiB as Discord does on a server without boosts): attached to the message in
 * the conversation's thread under their name, with their bytes; a file over the configured limit
 * or missing is named in the message instead, and nothing crashes.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DISCORD_DEFAULT_UPLOAD_BYTES } from '../../../bots/discord/config';
import { isPost, textOf } from './discord-calls';
import { type DiscordStack, startDiscordStack } from './discord-stack';
import { IDS } from './payloads';

const dir = mkdtempSync(join(tmpdir(), 'faceoff-discord-files-'));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const where = `discord:${IDS.guild}:${IDS.channel}:${IDS.thread}`;
after(() => rmSync(dir, { recursive: true, force: true }));

function archive(name: string, bytes: number): { path: string; data: Buffer } {
  const data = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) data[i] = (i * 131 + (i >> 9)) % 256;
  const path = join(dir, name);
  writeFileSync(path, data);
  return { path, data };
}

describe('Discord: files in replies (real discord.js client, Discord stand-in)', () => {
  let s: DiscordStack;
  before(async () => {
    s = await startDiscordStack();
  });
  after(async () => {
    await s?.close();
  });

  it('the adapter tells the core its upload limit: 10 MiB unless configured', () => {
    assert.equal(DISCORD_DEFAULT_UPLOAD_BYTES, 10 * 1024 ** 2);
    assert.deepEqual(s.engine.platforms.of('discord'), { maxUploadBytes: DISCORD_DEFAULT_UPLOAD_BYTES });
  });

  it('attaches the file to the message in the thread with its name, description and bytes', async () => {
    const { path, data } = archive('adapter.tar.gz', DISCORD_DEFAULT_UPLOAD_BYTES - 1000);
    const from = s.fake.calls.length;
    await s.notifier.post(where, {
      text: 'The adapter of job *abc1234*:',
      files: [
        {
          filename: 'adapter-abc1234.tar.gz',
          path,
          bytes: data.length,
          contentType: 'application/gzip',
          title: 'LoRA adapter (abc1234)',
        },
      ],
    });
    const posted = s.fake.calls.slice(from).filter(isPost(IDS.thread));
    assert.equal(posted.length, 1);
    const [message] = posted;
    assert.match(textOf(message), /The adapter of job \*\*abc1234\*\*:/);
    assert.deepEqual(
      message?.files.map((f) => [f.name, f.bytes.length]),
      [['adapter-abc1234.tar.gz', data.length]],
    );
    assert.equal(sha(message?.files[0]?.bytes ?? new Uint8Array()), sha(data));
    const attachments = message?.body?.attachments as { description: string }[];
    assert.deepEqual(
      attachments.map((a) => a.description),
      ['LoRA adapter (abc1234)'],
    );
    s.fake.assertNoRejections();
  });

  it('a file over the limit and a missing file are named in the message; the file that fits still goes', async () => {
    const big = join(dir, 'big.tar.gz');
    writeFileSync(big, '');
    truncateSync(big, DISCORD_DEFAULT_UPLOAD_BYTES + 1); // sparse: its size is all that is read
    const small = archive('small.tar.gz', 4096);
    const from = s.fake.calls.length;
    await s.notifier.post(where, {
      text: 'Adapters:',
      files: [
        { filename: 'big.tar.gz', path: big, bytes: DISCORD_DEFAULT_UPLOAD_BYTES + 1 },
        { filename: 'gone.tar.gz', path: join(dir, 'gone.tar.gz'), bytes: 100 },
        { filename: 'small.tar.gz', path: small.path, bytes: 4096 },
      ],
    });
    const [message] = s.fake.calls.slice(from).filter(isPost(IDS.thread));
    const shown = textOf(message);
    assert.match(
      shown,
      /big\.tar\.gz` was not attached: it is 10\.0 MB, over Discord's upload limit of 10\.0 MB/,
    );
    assert.match(shown, /gone\.tar\.gz` was not attached: the file is missing/);
    assert.deepEqual(
      message?.files.map((f) => f.name),
      ['small.tar.gz'],
    );
    assert.equal(sha(message?.files[0]?.bytes ?? new Uint8Array()), sha(small.data));
    assert.ok(s.logs.some((l) => /big\.tar\.gz .* not attached: it is 10\.0 MB/.test(l)));
    s.fake.assertNoRejections();
  });
});

describe('Discord: a configured upload limit (a boosted server, or a lower one)', () => {
  let s: DiscordStack;
  before(async () => {
    s = await startDiscordStack({ maxUploadBytes: 1024 ** 2 });
  });
  after(async () => {
    await s?.close();
  });

  it('is what the core sees and what the poster holds files to', async () => {
    assert.deepEqual(s.engine.platforms.of('discord'), { maxUploadBytes: 1024 ** 2 });
    const { path, data } = archive('two-mib.tar.gz', 2 * 1024 ** 2);
    const from = s.fake.calls.length;
    await s.notifier.post(where, {
      text: 'Adapter:',
      files: [{ filename: 'two-mib.tar.gz', path, bytes: data.length }],
    });
    const [message] = s.fake.calls.slice(from).filter(isPost(IDS.thread));
    assert.deepEqual(message?.files, []);
    assert.match(
      textOf(message),
      /two-mib\.tar\.gz` was not attached: it is 2\.00 MB, over Discord's upload limit of 1\.00 MB/,
    );
  });
});
