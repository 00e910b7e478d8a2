import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { localFile } from '../../../bots/console/local-file';
import { FileTransferError } from '../../../src/chat/incoming';

describe('console /upload: a local file through the same size cap', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-upload-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('copies the file and reports its length and hash', async () => {
    const text = '{"prompt":"a","completion":"b"}\n'.repeat(1000);
    const source = join(dir, 'data.jsonl');
    writeFileSync(source, text);
    const file = localFile(source);
    assert.equal(file.name, 'data.jsonl');
    assert.equal(file.size, text.length);
    const copy = join(dir, 'copy.jsonl');
    assert.deepEqual(await file.download(copy, 1024 * 1024), {
      bytes: text.length,
      sha256: createHash('sha256').update(text).digest('hex'),
    });
    assert.equal(readFileSync(copy, 'utf8'), text);
  });

  it('stops past the cap and leaves no copy; a missing path or a directory is refused in words', async () => {
    const source = join(dir, 'big.jsonl');
    writeFileSync(source, 'x'.repeat(200_000));
    const copy = join(dir, 'big-copy.jsonl');
    await assert.rejects(localFile(source).download(copy, 100_000), FileTransferError);
    assert.equal(existsSync(copy), false);
    await assert.rejects(
      localFile(join(dir, 'missing.jsonl')).download(join(dir, 'm.jsonl'), 10),
      (e: Error) => e instanceof FileTransferError && /ENOENT/.test(e.message),
    );
    await assert.rejects(localFile(dir).download(join(dir, 'd.jsonl'), 10), /is not a file/);
  });
});
