import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { downloadSlackFile, FileDownloadError } from '../../../bots/slack/messages/file-download';
import { FileTransferError } from '../../../src/chat/incoming';
import { BOT_TOKEN, FakeSlack } from './support/fake-slack';

const MiB = 1024 * 1024;

/** Downloads of shared files from the local Slack stand-in, as file-share.ts makes them. */
describe('Slack file downloads: streamed to a file, capped, on deadlines', () => {
  let fake: FakeSlack;
  let dir: string;
  let n = 0;
  before(async () => {
    fake = await FakeSlack.start();
    dir = mkdtempSync(join(tmpdir(), 'faceoff-slack-dl-'));
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const share = (file: Parameters<FakeSlack['files']['set']>[1]) => {
    n += 1;
    const id = `F0DL${String(n).padStart(5, '0')}`;
    fake.files.set(id, file);
    return {
      url: `https://files.slack.com/files-pri/T0FACEOFF-${id}/${file.name}?download=1`,
      toPath: join(dir, `${id}.jsonl`),
    };
  };
  const lastServed = async () => {
    const until = Date.now() + 5000;
    while (fake.served.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return fake.served.splice(0).at(-1);
  };

  it('writes the file and returns its length and hash', async () => {
    const content = '{"prompt":"hi","completion":"hello"}\n'.repeat(100);
    const { url, toPath } = share({ name: 'ok.jsonl', content, mimetype: 'application/octet-stream' });
    const got = await downloadSlackFile(url, BOT_TOKEN, fake.apiUrl, toPath, MiB);
    assert.deepEqual(got, {
      bytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    });
    assert.equal(readFileSync(toPath, 'utf8'), content);
    assert.equal(fake.downloads.at(-1)?.authorization, `Bearer ${BOT_TOKEN}`);
  });

  it('stops reading a body without Content-Length as soon as it passes the cap', async () => {
    const { url, toPath } = share({
      name: 'endless.jsonl',
      content: '',
      mimetype: 'application/octet-stream',
      body: { total: 256 * MiB },
    });
    await assert.rejects(
      downloadSlackFile(url, BOT_TOKEN, fake.apiUrl, toPath, MiB),
      (e: Error) => e instanceof FileTransferError && /larger than 1\.00 MB/.test(e.message),
    );
    const served = await lastServed();
    assert.equal(served?.complete, false, 'the client hung up');
    assert.ok((served?.sent ?? Infinity) < 32 * MiB, `sent ${served?.sent} bytes of 256 MiB`);
    assert.equal(existsSync(toPath), false, 'no partial file is left');
  });

  it('refuses a declared Content-Length over the cap without reading the body', async () => {
    const { url, toPath } = share({
      name: 'declared.jsonl',
      content: '',
      mimetype: 'application/octet-stream',
      body: { total: 256 * MiB, declareLength: true },
    });
    await assert.rejects(downloadSlackFile(url, BOT_TOKEN, fake.apiUrl, toPath, MiB), /larger than 1\.00 MB/);
    const served = await lastServed();
    assert.equal(served?.complete, false);
    assert.ok((served?.sent ?? Infinity) < 32 * MiB, `sent ${served?.sent} bytes`);
    assert.equal(existsSync(toPath), false);
  });

  it('gives up on a server that trickles past the total deadline', async () => {
    const { url, toPath } = share({
      name: 'slow.jsonl',
      content: '',
      mimetype: 'application/octet-stream',
      body: { total: 10_000, chunkBytes: 10, intervalMs: 50 },
    });
    const started = Date.now();
    await assert.rejects(
      downloadSlackFile(url, BOT_TOKEN, fake.apiUrl, toPath, MiB, { connectMs: 2000, totalMs: 400 }),
      (e: Error) => e instanceof FileTransferError && e.message === 'the download took longer than 0.4 s',
    );
    assert.ok(Date.now() - started < 3000);
    assert.equal((await lastServed())?.complete, false);
    assert.equal(existsSync(toPath), false);
  });

  it('gives up on a server that does not answer in time', async () => {
    const { url, toPath } = share({
      name: 'silent.jsonl',
      content: '',
      mimetype: 'application/octet-stream',
      body: { total: 10, answerAfterMs: 10_000 },
    });
    await assert.rejects(
      downloadSlackFile(url, BOT_TOKEN, fake.apiUrl, toPath, MiB, { connectMs: 300, totalMs: 5000 }),
      /127\.0\.0\.1 did not answer within 0\.3 s/,
    );
    assert.equal(existsSync(toPath), false);
  });

  it('does not follow a redirect (Slack sends one to a sign-in page without files:read)', async () => {
    const { url, toPath } = share({
      name: 'redirected.jsonl',
      content: 'x',
      mimetype: 'application/octet-stream',
      redirect: `${fake.base}/files-pri/T0FACEOFF-F0ELSEWHERE/x`,
    });
    const before = fake.downloads.length;
    await assert.rejects(
      downloadSlackFile(url, BOT_TOKEN, fake.apiUrl, toPath, MiB),
      (e: Error) => e instanceof FileDownloadError && /files:read/.test(e.message),
    );
    assert.equal(fake.downloads.length, before + 1, 'the redirect target was not requested');
    assert.equal(existsSync(toPath), false);
  });
});
