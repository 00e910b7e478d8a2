import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunTrainerOptions, runTrainer } from '../../../jobs/trainer-process';
import type { TrainerEvent } from '../../../jobs/trainer-protocol';
import {
  FAKE_TRAINER_PATH,
  type FakeBehaviour,
  fakeConfig,
  isAlive,
  waitFor,
  waitForPid,
} from '../../fixtures/trainers/fake-runs';

let root: string;
before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'faceoff-trainer-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

function run(behaviour: FakeBehaviour, extra: Partial<RunTrainerOptions> = {}) {
  const events: TrainerEvent[] = [];
  const logs: string[] = [];
  const outputDir = path.join(root, `${behaviour}-${Math.random().toString(36).slice(2, 8)}`);
  const outcome = runTrainer({
    config: fakeConfig(behaviour),
    outputDir,
    trainerPath: FAKE_TRAINER_PATH,
    onEvent: (event) => events.push(event),
    log: (message) => logs.push(message),
    graceMs: 500,
    ...extra,
  });
  return { outcome, events, logs, outputDir };
}

describe('runTrainer', () => {
  it('runs a trainer to the end: config written, events in order, summary and artifacts', async () => {
    const { outcome, events, outputDir } = run('succeed');
    const result = await outcome;
    assert.equal(result.kind, 'finished');
    assert.equal(result.kind === 'finished' && result.summary.run_id, 'run-succeed');
    assert.deepEqual(
      events.map((event) => event.event),
      ['started', 'step', 'step', 'step', 'eval', 'step', 'step', 'step', 'eval', 'finished'],
    );
    const written = JSON.parse(await readFile(path.join(outputDir, 'config.json'), 'utf8'));
    assert.equal(written.model, 'fake:succeed');
    assert.ok((await stat(path.join(outputDir, 'adapter'))).isDirectory());
  });

  it('ignores garbage lines on stdout and still finishes', async () => {
    const { outcome, events, logs } = run('garbage');
    const result = await outcome;
    assert.equal(result.kind, 'finished');
    assert.equal(events.filter((event) => event.event === 'step').length, 6);
    assert.ok(logs.some((line) => line.includes('ignored stdout line (not JSON')));
    assert.ok(logs.some((line) => line.includes('further ignored lines are not logged')));
  });

  it('reports a crash (exit 1) with the exit code and the end of stderr', async () => {
    const result = await run('crash').outcome;
    assert.equal(result.kind, 'crashed');
    if (result.kind !== 'crashed') return;
    assert.equal(result.exitCode, 1);
    assert.equal(result.signal, null);
    assert.match(result.message, /exited with code 1: RuntimeError: CUDA error/);
    assert.ok(result.stderrTail.includes('Traceback (most recent call last):'));
  });

  it('reports a failed event with exit 2 as a failure of that kind', async () => {
    const result = await run('bad-data').outcome;
    assert.equal(result.kind, 'failed');
    if (result.kind !== 'failed') return;
    assert.equal(result.exitCode, 2);
    assert.deepEqual(result.failure, {
      kind: 'bad_data',
      message: "row 3 of train.jsonl has no 'answer' field",
      step: 0,
      batchSize: undefined,
    });
  });

  it('cancels a hanging trainer with SIGTERM and leaves no process behind', async () => {
    const controller = new AbortController();
    const { outcome, events, outputDir } = run('hang', { signal: controller.signal, graceMs: 5000 });
    const pid = await waitForPid(path.join(outputDir, 'trainer.pid'));
    const grandchild = await waitForPid(path.join(outputDir, 'grandchild.pid'));
    await waitFor('started event', () => events.length > 0);
    const startedAt = Date.now();
    controller.abort();
    assert.deepEqual(await outcome, { kind: 'cancelled' });
    assert.ok(Date.now() - startedAt < 4000, 'stopped by SIGTERM, well before the SIGKILL grace period');
    assert.equal(events.at(-1)?.event, 'failed');
    assert.equal(isAlive(pid), false);
    await waitFor('grandchild gone', () => !isAlive(grandchild), 2000);
  });

  it('kills a trainer that ignores SIGTERM once the grace period is over', async () => {
    const controller = new AbortController();
    const { outcome, outputDir, logs } = run('ignore-sigterm', { signal: controller.signal, graceMs: 400 });
    const pid = await waitForPid(path.join(outputDir, 'trainer.pid'));
    const grandchild = await waitForPid(path.join(outputDir, 'grandchild.pid'));
    const startedAt = Date.now();
    controller.abort();
    assert.deepEqual(await outcome, { kind: 'cancelled' });
    const took = Date.now() - startedAt;
    assert.ok(took >= 400 && took < 3000, `took ${took} ms`);
    assert.ok(logs.some((line) => line.includes('sending SIGKILL')));
    assert.equal(isAlive(pid), false);
    await waitFor('grandchild gone', () => !isAlive(grandchild), 2000);
  });

  it('reports a trainer killed from outside (SIGKILL) as a crash, and kills what it left running', async () => {
    const { outcome, outputDir } = run('slow-once');
    const pid = await waitForPid(path.join(outputDir, 'trainer.pid'));
    const grandchild = await waitForPid(path.join(outputDir, 'grandchild.pid'));
    process.kill(pid, 'SIGKILL');
    const result = await outcome;
    assert.equal(result.kind, 'crashed');
    if (result.kind !== 'crashed') return;
    assert.equal(result.signal, 'SIGKILL');
    assert.match(result.message, /killed by SIGKILL/);
    await waitFor('grandchild gone', () => !isAlive(grandchild), 2000);
  });

  it('does not start when already cancelled, and reports a missing interpreter as a crash', async () => {
    const controller = new AbortController();
    controller.abort();
    assert.deepEqual(await run('succeed', { signal: controller.signal }).outcome, { kind: 'cancelled' });
    const missing = await run('succeed', { python: 'no-such-python-here', dieWithParent: false }).outcome;
    assert.equal(missing.kind, 'crashed');
    assert.match(missing.kind === 'crashed' ? missing.message : '', /could not start the trainer: .*ENOENT/);
  });
});
