import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyRetention, diskBytes, planRetention, type RetentionJob } from '../../jobs/retention';
import { parseRetentionArgs } from '../../jobs/retention-cli';
import { chooseCell } from '../../src/analysis/arms';
import { loadFixtureRuns } from '../fixtures/runs/load';

const DAY = 86_400_000;
const now = new Date('2026-12-06T12:00:00Z');
let artifactDir: string;

/** A recorded comparison (customer_service, both methods, swept) laid out as a worker writes it. */
async function layOut(
  id: string,
  finishedDaysAgo: number | null,
  state = 'completed',
): Promise<RetentionJob> {
  const runs = loadFixtureRuns((s) => s.task === 'customer_service').map((r) => ({
    ...r,
    id: `${id}-${r.id}`,
    artifactPath: path.join(artifactDir, id, `${id}-${r.id}`),
  }));
  for (const run of runs) {
    const dir = run.artifactPath;
    const weights = run.method === 'full' ? 'model' : 'adapter';
    await mkdir(path.join(dir, weights), { recursive: true });
    await writeFile(
      path.join(dir, weights, 'weights.safetensors'),
      Buffer.alloc(run.method === 'full' ? 4000 : 300),
    );
    await writeFile(path.join(dir, 'result.json'), '{}');
  }
  return {
    id,
    state,
    finishedAt: finishedDaysAgo === null ? null : new Date(now.getTime() - finishedDaysAgo * DAY),
    runs,
  };
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

before(async () => {
  artifactDir = await mkdtemp(path.join(tmpdir(), 'faceoff-retention-'));
});
after(() => rm(artifactDir, { recursive: true, force: true }));

describe('artifact retention', () => {
  it("drops the sweep losers' full weights, keeps the chosen runs, and deletes jobs past the period", async () => {
    const recent = await layOut('recent1', 1);
    const old = await layOut('oldjob1', 40);
    const running = await layOut('running', null, 'running');
    const outside = { ...(await layOut('escape1', 1)), runs: [] as RetentionJob['runs'] };
    outside.runs = [{ ...recent.runs[0], id: 'x', artifactPath: '/etc' } as RetentionJob['runs'][number]];
    const actions = await planRetention([recent, old, running, outside], { artifactDir, now, keepDays: 30 });

    const full = recent.runs.filter((r) => r.method === 'full');
    const chosen = chooseCell(full);
    const losers = full.filter((r) => r.learningRate !== chosen?.learningRate);
    assert.ok(losers.length > 0 && losers.length < full.length);
    assert.deepEqual(
      actions.filter((a) => a.jobId === 'recent1').map((a) => [a.why, a.path, a.bytes]),
      losers.map((r) => ['sweep_loser', path.join(r.artifactPath as string, 'model'), 4000]),
      'only full weights of runs not chosen; adapters and results stay',
    );
    const expired = actions.filter((a) => a.jobId === 'oldjob1');
    assert.deepEqual(
      expired.map((a) => [a.why, a.path]),
      [['expired', path.join(artifactDir, 'oldjob1')]],
    );
    assert.equal(expired[0]?.bytes, await diskBytes(path.join(artifactDir, 'oldjob1')));
    assert.ok(
      !actions.some((a) => a.jobId === 'running' || a.path === '/etc'),
      'active jobs and paths outside are left',
    );

    const freed = await applyRetention(actions);
    assert.equal(
      freed,
      actions.reduce((sum, a) => sum + a.bytes, 0),
    );
    assert.equal(await exists(path.join(artifactDir, 'oldjob1')), false);
    for (const run of recent.runs) {
      const kept = run.method === 'lora' || run.learningRate === chosen?.learningRate;
      const weights = path.join(run.artifactPath as string, run.method === 'full' ? 'model' : 'adapter');
      assert.equal(await exists(weights), kept, run.id);
      assert.equal(await exists(path.join(run.artifactPath as string, 'result.json')), true);
    }
    assert.deepEqual(await planRetention([recent], { artifactDir, now, keepDays: 30 }), [], 'nothing twice');
  });

  it('reads --days and --apply, and refuses anything else with the reason', () => {
    assert.deepEqual(parseRetentionArgs([], {}), { days: 30, apply: false });
    assert.deepEqual(parseRetentionArgs(['--days', '7', '--apply'], {}), { days: 7, apply: true });
    assert.deepEqual(parseRetentionArgs([], { FACEOFF_ARTIFACT_RETENTION_DAYS: '90' }), {
      days: 90,
      apply: false,
    });
    assert.match(
      (parseRetentionArgs(['--days', 'soon'], {}) as { error: string }).error,
      /^days: "soon" is not a number of days >= 0/,
    );
    assert.match(
      (parseRetentionArgs(['--force'], {}) as { error: string }).error,
      /--force.*expected --days N and\/or --apply/,
    );
  });
});
