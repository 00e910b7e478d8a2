/**
 * Files a reply shares, through the real WebClient to the Slack stand-in: streamed from disk to the
 * upload URL (raw bytes, never the whole file in memory) and shared into the conversation's thread
 * under their name and title; a file over Slack's 1 GB limit or missing is named in the reply
 * instead, and nothing crashes.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SLACK_MAX_UPLOAD_BYTES } from '../../../bots/slack/post/uploads';
import { CHANNEL, TEAM } from './support/slack-requests';
import { assertNoRejections, type SlackStack, startSlackStack } from './support/slack-stack';
import { blockText, threadPosts } from './support/thread-view';

const dir = mkdtempSync(join(tmpdir(), 'faceoff-slack-files-'));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function archive(name: string, bytes: number): { path: string; data: Buffer } {
  const data = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) data[i] = (i * 131 + (i >> 9)) % 256;
  const path = join(dir, name);
  writeFileSync(path, data);
  return { path, data };
}

describe('Slack: files in replies (real WebClient, Slack stand-in)', () => {
  let s: SlackStack;
  before(async () => {
    s = await startSlackStack();
  });
  after(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("Slack's upload limit is 1 GB", () => {
    assert.equal(SLACK_MAX_UPLOAD_BYTES, 1024 ** 3);
  });

  it('streams the file to the upload URL and shares it in the thread with its name, title and bytes', async () => {
    const thread = '1712000000.000700';
    const { path, data } = archive('adapter.tar.gz', 5 * 1024 ** 2 + 123);
    await s.notifier.post(`slack:${TEAM}:${CHANNEL}:${thread}`, {
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
    await s.settle();
    assert.match(blockText(threadPosts(s.fake, thread)[0]?.blocks ?? []), /The adapter of job/);
    const asked = s.fake
      .callsTo('files.getUploadURLExternal')
      .find((c) => c.args.filename === 'adapter-abc1234.tar.gz');
    assert.ok(asked, 'an upload URL asked for the file');
    assert.equal(Number(asked.args.length), data.length);
    const fileId = String(asked.result.file_id);
    const upload = s.fake.uploads.find((u) => u.fileId === fileId);
    assert.ok(upload, 'the bytes went to the upload URL');
    assert.equal(upload.bytes, data.length);
    assert.equal(upload.sha256, sha(data));
    assert.equal(upload.type, 'application/gzip', 'raw bytes, streamed, not a multipart body');
    const completed = s.fake
      .callsTo('files.completeUploadExternal')
      .find((c) => (c.args.files as { id: string }[]).some((f) => f.id === fileId));
    assert.ok(completed, 'the upload completed');
    assert.equal(completed.args.channel_id, CHANNEL);
    assert.equal(completed.args.thread_ts, thread);
    assert.deepEqual(completed.args.files, [{ id: fileId, title: 'LoRA adapter (abc1234)' }]);
    assertNoRejections(s.fake);
  });

  it('a file over the limit and a missing file are named in the reply; the file that fits still goes', async () => {
    const thread = '1712000000.000800';
    const huge = join(dir, 'huge.tar.gz');
    writeFileSync(huge, '');
    truncateSync(huge, 1.5 * 1024 ** 3); // sparse: its size is all that is read
    const small = archive('small.tar.gz', 2048);
    const before = s.fake.callsTo('files.getUploadURLExternal').length;
    await s.notifier.post(`slack:${TEAM}:${CHANNEL}:${thread}`, {
      text: 'Adapters:',
      files: [
        { filename: 'huge.tar.gz', path: huge, bytes: 1.5 * 1024 ** 3 },
        { filename: 'gone.tar.gz', path: join(dir, 'gone.tar.gz'), bytes: 100 },
        { filename: 'small.tar.gz', path: small.path, bytes: 2048 },
      ],
    });
    await s.settle();
    const shown = blockText(threadPosts(s.fake, thread)[0]?.blocks ?? []);
    assert.match(
      shown,
      /huge\.tar\.gz` was not attached: it is 1\.50 GB, over Slack's upload limit of 1\.00 GB/,
    );
    assert.match(shown, /gone\.tar\.gz` was not attached: the file is missing/);
    const asked = s.fake.callsTo('files.getUploadURLExternal').slice(before);
    assert.deepEqual(
      asked.map((c) => c.args.filename),
      ['small.tar.gz'],
    );
    const upload = s.fake.uploads.find((u) => u.fileId === asked[0]?.result.file_id);
    assert.equal(upload?.sha256, sha(small.data));
    assert.ok(s.logs.some((l) => /huge\.tar\.gz .* not attached: it is 1\.50 GB/.test(l)));
    assertNoRejections(s.fake);
  });
});
