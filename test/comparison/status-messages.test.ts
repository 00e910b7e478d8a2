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
