import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { attachmentUrl, downloadAttachment, sharedFile } from '../../../bots/discord/attachment-file';
import { FileTransferError } from '../../../src/chat/incoming';
import { FakeDiscord } from './fake-discord';

const MiB = 1024 * 1024;
const refused = (pattern: RegExp) => (e: Error) => e instanceof FileTransferError && pattern.test(e.message);

/** Attachment downloads from the local Discord stand-in (the host of DISCORD_API_URL) and a second, foreign host. */
describe('Discord attachments: CDN hosts only, no redirect elsewhere, capped, on deadlines', () => {
  let fake: FakeDiscord;
  let foreign: FakeDiscord;
  let dir: string;
  let n = 0;
  before(async () => {
    [fake, foreign] = await Promise.all([FakeDiscord.start(), FakeDiscord.start()]);
    dir = mkdtempSync(join(tmpdir(), 'faceoff-discord-dl-'));
  });
  after(async () => {
    await Promise.all([fake.close(), foreign.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  const target = () => join(dir, `${++n}.jsonl`);
  const lastServed = async () => {
    const until = Date.now() + 5000;
    while (fake.served.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return fake.served.splice(0).at(-1);
  };

  it('accepts only https on cdn.discordapp.com and media.discordapp.net, or the DISCORD_API_URL host', () => {
    const cdn = 'https://cdn.discordapp.com/attachments/1/2/support.jsonl?ex=1&hm=2';
    assert.equal(attachmentUrl(cdn, undefined).href, cdn);
    assert.ok(attachmentUrl('https://media.discordapp.net/attachments/1/2/a.jsonl', undefined));
    assert.ok(attachmentUrl(`${fake.url}/files/1/a.jsonl`, fake.apiUrl));
    for (const url of [
      'http://cdn.discordapp.com/attachments/1/2/a.jsonl',
      'https://cdn.discordapp.com:8443/attachments/1/2/a.jsonl',
      'https://cdn.discordapp.com.evil.example/a.jsonl',
      'https://evil.example/cdn.discordapp.com/a.jsonl',
      'https://user:pw@cdn.discordapp.com/a.jsonl',
      `${fake.url}/files/1/a.jsonl`,
      'not a url',
    ]) {
      assert.throws(() => attachmentUrl(url, undefined), FileTransferError, url);
    }
    assert.throws(() => attachmentUrl(`${foreign.url}/files/a.jsonl`, fake.apiUrl), /not from 127\.0\.0\.1/);
  });

  it('streams an attachment from the allowed host into the file', async () => {
    const bytes = new TextEncoder().encode('{"prompt":"a","completion":"b"}\n'.repeat(50));
    fake.files.set('7/ok.jsonl', bytes);
    const toPath = target();
    const file = sharedFile(
      { name: 'ok.jsonl', size: bytes.length, url: `${fake.url}/files/7/ok.jsonl`, contentType: null },
      fake.apiUrl,
    );
    assert.deepEqual(await file.download(toPath, MiB), {
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    assert.deepEqual(new Uint8Array(readFileSync(toPath)), bytes);
  });

  it('refuses a URL on another host without any request', async () => {
    foreign.files.set('x.jsonl', new Uint8Array(10));
    const toPath = target();
    await assert.rejects(
      downloadAttachment(
        { name: 'x.jsonl', size: 10, url: `${foreign.url}/files/x.jsonl` },
        fake.apiUrl,
        toPath,
        MiB,
      ),
      refused(/CDN only/),
    );
    assert.deepEqual(foreign.fileRequests, []);
    assert.equal(existsSync(toPath), false);
  });

  it('refuses a redirect to another host, and never asks that host', async () => {
    foreign.files.set('elsewhere.jsonl', new Uint8Array(10));
    fake.fileRedirects.set('moved.jsonl', `${foreign.url}/files/elsewhere.jsonl`);
    const toPath = target();
    await assert.rejects(
      downloadAttachment(
        { name: 'moved.jsonl', size: 10, url: `${fake.url}/files/moved.jsonl` },
        fake.apiUrl,
        toPath,
        MiB,
      ),
      refused(/redirected the download to another host; refused/),
    );
    assert.deepEqual(foreign.fileRequests, []);
    assert.equal(existsSync(toPath), false);
  });

  it('follows a redirect that stays on the same host', async () => {
    fake.files.set('final.jsonl', new TextEncoder().encode('{}\n'));
    fake.fileRedirects.set('hop.jsonl', '/files/final.jsonl');
    const got = await downloadAttachment(
      { name: 'hop.jsonl', size: 3, url: `${fake.url}/files/hop.jsonl` },
      fake.apiUrl,
      target(),
      MiB,
    );
    assert.equal(got.bytes, 3);
  });

  it('refuses a declared size over the cap before any request', async () => {
    const before = fake.fileRequests.length;
    await assert.rejects(
      downloadAttachment(
        { name: 'big.jsonl', size: 2 * MiB, url: `${fake.url}/files/big.jsonl` },
        fake.apiUrl,
        target(),
        MiB,
      ),
      refused(/larger than 1\.00 MB/),
    );
    assert.equal(fake.fileRequests.length, before);
  });

  it('stops reading as soon as the body passes the cap, whatever size was declared', async () => {
    fake.fileBodies.set('endless.jsonl', { total: 256 * MiB });
    const toPath = target();
    await assert.rejects(
      downloadAttachment(
        { name: 'endless.jsonl', size: 100, url: `${fake.url}/files/endless.jsonl` },
        fake.apiUrl,
        toPath,
        MiB,
      ),
      refused(/larger than 1\.00 MB/),
    );
    const served = await lastServed();
    assert.equal(served?.complete, false, 'the client hung up');
    assert.ok((served?.sent ?? Infinity) < 32 * MiB, `sent ${served?.sent} bytes of 256 MiB`);
    assert.equal(existsSync(toPath), false);
  });

  it('gives up on a slow body at the total deadline and on a silent server at the connect deadline', async () => {
    fake.fileBodies.set('slow.jsonl', { total: 10_000, chunkBytes: 10, intervalMs: 50 });
    fake.fileBodies.set('silent.jsonl', { total: 10, answerAfterMs: 10_000 });
    const slow = target();
    await assert.rejects(
      downloadAttachment(
        { name: 'slow.jsonl', size: 10_000, url: `${fake.url}/files/slow.jsonl` },
        fake.apiUrl,
        slow,
        MiB,
        {
          connectMs: 2000,
          totalMs: 400,
        },
      ),
      refused(/^the download took longer than 0\.4 s$/),
    );
    assert.equal(existsSync(slow), false);
    await assert.rejects(
      downloadAttachment(
        { name: 'silent.jsonl', size: 10, url: `${fake.url}/files/silent.jsonl` },
        fake.apiUrl,
        target(),
        MiB,
        {
          connectMs: 300,
          totalMs: 5000,
        },
      ),
      refused(/did not answer within 0\.3 s/),
    );
  });
});
