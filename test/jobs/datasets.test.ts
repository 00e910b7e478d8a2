import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { registerSharedDataset } from '../../jobs/datasets';
import type { FileEvent } from '../../src/chat/incoming';
import { createRepositories, type Database, openDatabase } from '../../src/persistence/index';

const encoder = new TextEncoder();
const fileEvent = (name: string, text: string): FileEvent => ({
  kind: 'file',
  conversation: { platform: 'console', workspace: 'ds', channel: 'c' },
  user: { id: 'alice' },
  file: { name, size: text.length, fetch: async () => encoder.encode(text) },
});

describe('shared dataset intake (real trainer validator, embedded database)', () => {
  let db: Database;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'faceoff-ds-'));
    db = await openDatabase({ url: 'memory:' });
  });
  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const options = () => ({
    datasets: createRepositories(db.prisma).datasets,
    directory: dir,
    python: process.env.FACEOFF_PYTHON ?? 'python3',
  });

  it('reports every bad line by number and registers nothing', async () => {
    const text = [
      '{"prompt":"hi","completion":"hello"}',
      'not json',
      '{"prompt":"x"}',
      ...Array.from({ length: 5 }, (_, i) => `{"prompt":"q${i}","completion":"a${i}"}`),
    ].join('\n');
    const replies = await registerSharedDataset(fileEvent('support.jsonl', text), options());
    const out = replies[0]?.text ?? '';
    assert.match(out, /was not registered/);
    assert.match(out, /line 2: not valid JSON/);
    assert.match(out, /line 3: missing field 'completion'/);
    assert.equal((await createRepositories(db.prisma).datasets.list('console:ds')).length, 0);
  });

  it('registers a valid file and names its id and splits', async () => {
    const text = Array.from(
      { length: 40 },
      (_, i) => `{"prompt":"question ${i}","completion":"answer ${i}"}`,
    ).join('\n');
    const replies = await registerSharedDataset(fileEvent('good.jsonl', text), options());
    const id = /Registered \*(ds-\w+)\*/.exec(replies[0]?.text ?? '')?.[1];
    assert.ok(id, replies[0]?.text);
    const stored = await createRepositories(db.prisma).datasets.get('console:ds', id);
    assert.equal(stored?.lineCount, 40);
  });

  it('refuses files that are not JSONL', async () => {
    const replies = await registerSharedDataset(fileEvent('notes.txt', 'hello'), options());
    assert.match(replies[0]?.text ?? '', /not a dataset/);
  });
});
