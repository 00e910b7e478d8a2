import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeLimited } from '../../bots/streamed-download';
import {
  errorLines,
  problemCount,
  registerSharedDataset,
  type ValidationReport,
  ValidatorError,
  validateDataset,
  validatorEnvironment,
} from '../../jobs/datasets';
import { type FileEvent, FileTransferError, type SharedFile } from '../../src/chat/incoming';
import { createRepositories, type Database, openDatabase } from '../../src/persistence/index';

const encoder = new TextEncoder();
const PYTHON = process.env.FACEOFF_PYTHON ?? 'python3';
const fileEvent = (name: string, file: Partial<SharedFile> & { text?: string }): FileEvent => ({
  kind: 'file',
  conversation: { platform: 'console', workspace: 'ds', channel: 'c' },
  user: { id: 'alice' },
  file: {
    name,
    size: file.text?.length ?? 0,
    download: (toPath, maxBytes) => writeLimited([encoder.encode(file.text ?? '')], toPath, maxBytes),
    ...file,
  },
});
const goodLines = (n: number) =>
  Array.from({ length: n }, (_, i) => `{"prompt":"question ${i}","completion":"answer ${i}"}`);

describe('shared dataset intake (real trainer validator, embedded database)', () => {
  let db: Database;
  let dir: string;
  const teamDir = () => join(dir, 'console_ds');
  const stored = () => readdirSync(teamDir());
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
    python: PYTHON,
  });

  it('reports every bad line by number, registers nothing and leaves no file behind', async () => {
    const text = ['{"prompt":"hi","completion":"hello"}', 'not json', '{"prompt":"x"}', ...goodLines(5)].join(
      '\n',
    );
    const replies = await registerSharedDataset(fileEvent('support.jsonl', { text }), options());
    const out = replies[0]?.text ?? '';
    assert.match(out, /was not registered: 2 problem\(s\) in 8 lines/);
    assert.match(out, /line 2: not valid JSON/);
    assert.match(out, /line 3: missing field 'completion'/);
    assert.equal((await createRepositories(db.prisma).datasets.list('console:ds')).length, 0);
    assert.deepEqual(stored(), []);
  });

  it('lists the first 20 problems and counts the rest', async () => {
    const text = [...goodLines(3), ...Array.from({ length: 25 }, (_, i) => `broken ${i}`)].join('\n');
    const out = (await registerSharedDataset(fileEvent('many.jsonl', { text }), options()))[0]?.text ?? '';
    assert.match(out, /25 problem\(s\) in 28 lines/);
    assert.equal(out.match(/^line \d+: /gm)?.length, 20);
    assert.match(out, /\n\.\.\. and 5 more$/);
    assert.deepEqual(stored(), []);
  });

  it('stores a valid file once, named by its content hash, and registers it with its splits', async () => {
    const text = goodLines(40).join('\n');
    const sha256 = createHash('sha256').update(text).digest('hex');
    const ids: string[] = [];
    for (const name of ['good.jsonl', 'same-again.jsonl']) {
      const replies = await registerSharedDataset(fileEvent(name, { text }), options());
      const id = replies[0]?.refs?.datasetId;
      assert.ok(id, replies[0]?.text);
      ids.push(id);
    }
    assert.deepEqual(stored(), [`${sha256}.jsonl`]);
    assert.equal(readFileSync(join(teamDir(), `${sha256}.jsonl`), 'utf8'), text);
    for (const id of ids) {
      const record = await createRepositories(db.prisma).datasets.get('console:ds', id);
      assert.equal(record?.lineCount, 40);
      assert.equal(record?.sha256, sha256);
      assert.equal(record?.path, join(teamDir(), `${sha256}.jsonl`));
    }
  });

  it('a failed download is reported and its partial file deleted', async () => {
    const before = stored();
    const broken = fileEvent('cut.jsonl', {
      size: 100,
      download: async (toPath) => {
        await writeFile(toPath, '{"prompt":"half');
        throw new FileTransferError('the download failed (UND_ERR_SOCKET)');
      },
    });
    const replies = await registerSharedDataset(broken, options());
    assert.equal(replies[0]?.text, 'cut.jsonl was not registered: the download failed (UND_ERR_SOCKET).');
    assert.deepEqual(stored(), before);
    const tooBig = fileEvent('big.jsonl', {
      download: (toPath, maxBytes) =>
        writeLimited([new Uint8Array(maxBytes), new Uint8Array(1)], toPath, maxBytes),
    });
    assert.match(
      (await registerSharedDataset(tooBig, options()))[0]?.text ?? '',
      /big\.jsonl was not registered: the file is larger than 50\.0 MB/,
    );
    assert.deepEqual(stored(), before);
  });

  it('refuses files that are not JSONL', async () => {
    const replies = await registerSharedDataset(fileEvent('notes.txt', { text: 'hello' }), options());
    assert.match(replies[0]?.text ?? '', /not a dataset/);
  });
});

describe('the validator report', () => {
  const report = (errors: number, errorCount?: number): ValidationReport => ({
    ok: false,
    lines: 100,
    errors: Array.from({ length: errors }, (_, i) => ({ line: i + 1, message: 'not valid JSON' })),
    ...(errorCount === undefined ? {} : { error_count: errorCount }),
    splits: { train: 0, validation: 0, test: 0 },
  });

  it('counts error_count when given, else the listed errors, and shows at most 20', () => {
    assert.equal(problemCount(report(20, 57)), 57);
    assert.equal(problemCount(report(3)), 3);
    const lines = errorLines(report(20, 57));
    assert.equal(lines.length, 21);
    assert.equal(lines[0], 'line 1: not valid JSON');
    assert.equal(lines.at(-1), '... and 37 more');
    assert.deepEqual(errorLines(report(2)), ['line 1: not valid JSON', 'line 2: not valid JSON']);
  });
});

describe('the validator process', () => {
  let root: string;
  before(() => {
    // A trainer package standing in for the real one, to look at what the process sees.
    root = mkdtempSync(join(tmpdir(), 'faceoff-validator-'));
    const pkg = join(root, 'jobs', 'trainer', 'faceoff_trainer');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, '__init__.py'), '');
    writeFileSync(
      join(pkg, '__main__.py'),
      [
        'import json, os, sys',
        'if sys.argv[-1].endswith("flood.jsonl"):',
        '    sys.stdout.write("x" * (2 * 1024 * 1024))',
        'else:',
        '    print(json.dumps({"ok": True, "lines": 0, "errors": [], "splits": {}, "env": dict(os.environ)}))',
      ].join('\n'),
    );
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('builds its environment from an allow-list', () => {
    const env = validatorEnvironment('/srv/faceoff', {
      PATH: '/usr/bin',
      HOME: '/home/faceoff',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TMPDIR: '/tmp',
      SLACK_BOT_TOKEN: 'xoxb-secret',
      DISCORD_TOKEN: 'discord-secret',
      DATABASE_URL: 'postgres://faceoff:pw@db/faceoff',
      FACEOFF_SLACK_TOKEN_KEY: 'k'.repeat(64),
      PYTHONPATH: '/elsewhere',
      NODE_OPTIONS: '--require evil.js',
    });
    assert.deepEqual(env, {
      PATH: '/usr/bin',
      HOME: '/home/faceoff',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TMPDIR: '/tmp',
      PYTHONPATH: join('/srv/faceoff', 'jobs', 'trainer'),
      HF_HUB_OFFLINE: '1',
    });
  });

  it('does not see the bot’s secrets', async () => {
    const saved = { secret: process.env.SLACK_CLIENT_SECRET, database: process.env.DATABASE_URL };
    process.env.SLACK_CLIENT_SECRET = 'client-secret-do-not-share';
    process.env.DATABASE_URL = 'postgres://faceoff:hunter2@db/faceoff';
    try {
      const seen = (
        (await validateDataset(join(root, 'any.jsonl'), PYTHON, root)) as unknown as {
          env: Record<string, string>;
        }
      ).env;
      assert.equal(seen.SLACK_CLIENT_SECRET, undefined);
      assert.equal(seen.DATABASE_URL, undefined);
      assert.equal(seen.PYTHONPATH, join(root, 'jobs', 'trainer'));
      assert.equal(seen.HF_HUB_OFFLINE, '1');
      assert.ok(!JSON.stringify(seen).includes('hunter2'));
    } finally {
      for (const [key, value] of [
        ['SLACK_CLIENT_SECRET', saved.secret],
        ['DATABASE_URL', saved.database],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('refuses a report longer than its bound', async () => {
    await assert.rejects(
      validateDataset(join(root, 'flood.jsonl'), PYTHON, root),
      (e: Error) => e instanceof ValidatorError && e.reportTooLong,
    );
  });
});
