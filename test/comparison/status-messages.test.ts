import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ComparisonPlan } from '../../src/comparison/plan';
import {
  progressReply,
  type RunView,
  remainingLine,
  statusReply,
} from '../../src/comparison/status-messages';

const now = new Date('2026-12-06T12:00:00Z');
const run = (
  id: string,
  method: string,
  seed: number,
  state: string,
  over: Partial<RunView> = {},
): RunView => ({
  id,
  task: 'customer_service',
  method,
  seed,
  learningRate: method === 'lora' ? 5e-4 : 5e-5,
  state,
  attempts: state === 'queued' ? 0 : 1,
  progress: null,
  error: null,
  startedAt: null,
  ...over,
});
const plan: Partial<ComparisonPlan> = {
  maxSteps: 20,
  runs: [
    { task: 'customer_service', method: 'lora', seed: 0, learningRate: 5e-4 },
    { task: 'customer_service', method: 'lora', seed: 0, learningRate: 1.5e-3 },
    { task: 'customer_service', method: 'full', seed: 0, learningRate: 5e-5 },
  ],
  upcoming: [
    { task: 'customer_service', method: 'lora', seed: 1 },
    { task: 'customer_service', method: 'full', seed: 1 },
  ],
  staging: { kind: 'sweep-then-replicate' },
};
const job = (runs: RunView[]) => ({
  id: 'eta1234',
  state: 'running',
  requesterId: 'ann',
  createdAt: new Date(now.getTime() - 120_000),
  runs,
  plan,
});

describe('device time left, from the job’s own measured steps', () => {
  it('says nothing before a step is measured', () => {
    const queued = job([
      run('a', 'lora', 0, 'queued'),
      run('b', 'lora', 0, 'queued'),
      run('c', 'full', 0, 'queued'),
    ]);
    assert.equal(remainingLine(queued, now), undefined);
    assert.doesNotMatch(progressReply(queued, now).text, /Device time left/);
  });

  it('prices running, queued and later-stage runs at the measured seconds per step', () => {
    // 5 steps in 50 s: 10 s/step; the running run has 15 steps (150 s) left.
    const running = run('a', 'lora', 0, 'running', {
      startedAt: new Date(now.getTime() - 50_000),
      progress: { step: 5, total: 20 },
    });
    const current = job([running, run('b', 'lora', 0, 'queued'), run('c', 'full', 0, 'queued')]);
    // 150 s + one queued LoRA run (200 s) + one later LoRA replica (200 s) = 550 s; full not measured.
    const line = remainingLine(current, now) ?? '';
    assert.equal(
      line,
      "Device time left: about 9 min 10 s, estimated from this job's measured steps (LoRA ~10.0 s/step); " +
        'test evaluation not included; 2 run(s) of a method not measured yet not counted.',
    );
    assert.ok(progressReply(current, now).text.endsWith(line));
    assert.match(statusReply(current, now).text, /Device time left: about 9 min 10 s/);
    const finished = { ...current, state: 'completed' };
    assert.equal(remainingLine(finished, now), undefined);
  });
});

describe('a run resumed from a checkpoint', () => {
  it('says from which step, and times its ETA on the steps this attempt trained', () => {
    // Attempt 2 continued at step 8 and has trained 4 steps in 40 s: 10 s/step, 8 steps (80 s) left.
    const resumed = run('a', 'lora', 0, 'running', {
      attempts: 2,
      startedAt: new Date(now.getTime() - 40_000),
      progress: { phase: 'training', step: 12, total: 20, loss: 1.25, resumedFrom: 8 },
    });
    const text = progressReply(job([resumed]), now).text;
    assert.match(text, /12\/20.* loss 1\.250, ETA 1 min 20 s, resumed from step 8 \(attempt 2\)/);
    assert.match(remainingLine(job([resumed]), now) ?? '', /LoRA ~10\.0 s\/step/);
    const row = statusReply(job([resumed]), now).tables?.[0]?.rows[0];
    assert.match(String(row?.[2]), /resumed from step 8/);
  });

  it('says nothing of resuming for a run that started from step 1', () => {
    const fresh = run('a', 'lora', 0, 'running', {
      startedAt: new Date(now.getTime() - 40_000),
      progress: { phase: 'training', step: 4, total: 20, loss: 1.5 },
    });
    assert.doesNotMatch(progressReply(job([fresh]), now).text, /resumed/);
  });
});
