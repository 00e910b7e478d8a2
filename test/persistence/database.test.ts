import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createRepositories,
  openDatabase,
  parseDatabaseUrl,
  resolveDatabaseUrl,
} from '../../src/persistence/index.js';

describe('database URLs', () => {
  it('default to the embedded database in .data/pglite under the working directory', () => {
    assert.equal(resolveDatabaseUrl({}), 'file:.data/pglite');
    assert.equal(resolveDatabaseUrl({ DATABASE_URL: '  ' }), 'file:.data/pglite');
    assert.equal(resolveDatabaseUrl({ DATABASE_URL: 'postgres://h/db' }), 'postgres://h/db');
    assert.deepEqual(parseDatabaseUrl(resolveDatabaseUrl({})), {
      kind: 'embedded',
      dataDir: resolve(process.cwd(), '.data/pglite'),
    });
  });

  it('pick PostgreSQL, a data directory or memory', () => {
    assert.equal(parseDatabaseUrl('postgresql://u@h:5433/db').kind, 'postgres');
    assert.equal(parseDatabaseUrl('postgres://u@h/db').kind, 'postgres');
    assert.deepEqual(parseDatabaseUrl('memory:'), { kind: 'embedded', dataDir: null });
    assert.deepEqual(parseDatabaseUrl('file:///var/lib/faceoff'), {
      kind: 'embedded',
      dataDir: '/var/lib/faceoff',
    });
    assert.deepEqual(parseDatabaseUrl('file:./x/y'), { kind: 'embedded', dataDir: resolve('x/y') });
    assert.deepEqual(parseDatabaseUrl('/abs/dir'), { kind: 'embedded', dataDir: '/abs/dir' });
    assert.throws(() => parseDatabaseUrl('mysql://h/db'), /unsupported DATABASE_URL "mysql:\/\/\.\.\."/);
  });

  it('explain an unreachable PostgreSQL server: where, and what to check, without the password', async () => {
    await assert.rejects(
      openDatabase({ url: 'postgres://postgres:s3cret@127.0.0.1:1/faceoff' }),
      (e: Error) => {
        assert.match(e.message, /cannot reach PostgreSQL at postgres:\/\/127\.0\.0\.1:1\/faceoff/);
        assert.match(e.message, /connection refused.*running/);
        assert.doesNotMatch(e.message, /s3cret/);
        return true;
      },
    );
  });
});

describe('embedded database directory', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faceoff-resume-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('keeps everything across close and reopen, and migrates only once', async () => {
    const url = `file:${join(dir, 'data')}`;
    const team = 'console:local';
    const first = await openDatabase({ url });
    assert.equal(first.kind, 'embedded');
    assert.ok(first.migrations.applied.length > 0);
    const repos = createRepositories(first.prisma);
    const expiresAt = new Date(Date.now() + 3600_000);
    await repos.sessions.save(team, `${team}:main:`, 'me', { step: 2, answers: { task: 'qa' } }, expiresAt);
    const job = await repos.jobs.create({
      teamKey: team,
      conversationKey: `${team}:main:`,
      requesterId: 'me',
      request: { r: 1 },
      plan: { p: 2 },
      runs: [{ task: 'qa', method: 'lora', seed: 7, learningRate: 3e-3 }],
    });
    await repos.jobs.appendMetricPoints(`${job.id}-1`, [{ series: 'eval_loss', step: 5, value: 1.25 }]);
    await first.close();
    assert.equal(existsSync(`${join(dir, 'data')}.lock`), false, 'closing releases the directory');

    const second = await openDatabase({ url });
    try {
      assert.deepEqual(second.migrations.applied, []);
      const again = createRepositories(second.prisma);
      const session = await again.sessions.load(team, `${team}:main:`, 'me', new Date());
      assert.deepEqual(session?.state, { step: 2, answers: { task: 'qa' } });
      assert.deepEqual(await again.jobs.getById(job.id), job);
      assert.deepEqual(await again.jobs.metricSeries(`${job.id}-1`), {
        eval_loss: [{ step: 5, value: 1.25 }],
      });
    } finally {
      await second.close();
    }
  });

  it('serves one process at a time, taking over a lock its dead owner left', async () => {
    const data = join(dir, 'locked');
    const db = await openDatabase({ url: data });
    try {
      await assert.rejects(openDatabase({ url: data }), /already open in this process/);
    } finally {
      await db.close();
    }
    await writeFile(`${data}.lock`, String(process.ppid));
    await assert.rejects(
      openDatabase({ url: data }),
      new RegExp(`in use by process ${process.ppid}.*PostgreSQL`, 's'),
    );
    for (const stale of [spawnSync(process.execPath, ['-e', '0']).pid, process.pid]) {
      await writeFile(`${data}.lock`, String(stale)); // a dead process, or an earlier run with our pid
      const reopened = await openDatabase({ url: data });
      await reopened.close();
    }
  });

  it('refuses a data path that is a file', async () => {
    const file = join(dir, 'not-a-dir');
    await writeFile(file, 'x');
    await assert.rejects(openDatabase({ url: `file:${file}` }), /exists and is not a directory/);
  });
});
