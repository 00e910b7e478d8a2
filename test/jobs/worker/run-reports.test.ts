import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunProgress } from '../../../jobs/definitions';
import type { TrainerEvent } from '../../../jobs/trainer-protocol';
import { formatRunFailure, parseRunFailure, type RunFailure } from '../../../jobs/worker/run-failure';
import { RunProgressReporter, seriesForSplit } from '../../../jobs/worker/run-progress';
import { type RunView, runLine } from '../../../src/comparison/status-messages';

const base = { run_id: 'r', time: 0 };
const step = (n: number, loss: number): TrainerEvent => ({
  ...base,
  event: 'step',
  step: n,
  total: 10,
  loss,
  lr: 0.001,
  tokens_per_s: 500,
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('RunProgressReporter', () => {
  it('reports start and eval at once, steps at most once per interval, and keeps every point', async () => {
    let clock = 0;
    const sent: RunProgress[] = [];
    const reporter = new RunProgressReporter({
      send: async (progress) => {
        sent.push(progress);
      },
      intervalMs: 1000,
      now: () => clock,
    });
    reporter.onEvent({
      ...base,
      event: 'started',
      method: 'lora',
      model: 'm',
      task: 't',
      seed: 1,
      learning_rate: 0.001,
      total_steps: 10,
      trainable_params: 1,
      total_params: 2,
      device: 'cpu',
    });
    clock = 100;
    reporter.onEvent(step(1, 3));
    clock = 200;
    reporter.onEvent(step(2, 2));
    await settle();
    assert.equal(sent.length, 1, 'steps within the interval wait');
    clock = 1100;
    reporter.onEvent(step(3, 1.5));
    await settle();
    assert.equal(sent.length, 2);
    reporter.onEvent({
      ...base,
      event: 'eval',
      step: 3,
      eval_loss: 1.7,
      metrics: { exact_match: 0.5, bleu: null },
    });
    reporter.onEvent({ ...base, event: 'eval', step: 3, eval_loss: 1.9, metrics: {}, split: 'test' });
    reporter.onEvent(step(4, 1.2));
    reporter.onEvent({ ...base, event: 'finished', summary: {} });
    await reporter.flush();

    assert.deepEqual(
      sent.map((progress) => progress.phase),
      ['starting', 'training', 'evaluating', 'evaluating', 'finished'],
    );
    assert.equal(sent[0]?.total, 10);
    assert.deepEqual(sent[1]?.points, [
      { series: 'train_loss', step: 1, value: 3 },
      { series: 'train_loss', step: 2, value: 2 },
      { series: 'train_loss', step: 3, value: 1.5 },
    ]);
    assert.deepEqual(sent[2]?.points, [{ series: 'eval_loss', step: 3, value: 1.7 }]);
    assert.deepEqual(sent[2]?.metrics, { exact_match: 0.5 });
    assert.equal(sent[2]?.evalLoss, 1.7);
    assert.deepEqual(sent[3]?.points, [{ series: 'test_loss', step: 3, value: 1.9 }]);
    assert.equal(sent[3]?.evalLoss, 1.7, 'a test-split eval does not replace the validation loss');
    assert.deepEqual(sent[4]?.points, [{ series: 'train_loss', step: 4, value: 1.2 }]);
    assert.equal(sent[4]?.step, 10);
  });

  it('reports test-set generation as "evaluating done/total" and the status line shows it', async () => {
    let clock = 0;
    const sent: RunProgress[] = [];
    const reporter = new RunProgressReporter({
      send: async (progress) => {
        sent.push(progress);
      },
      intervalMs: 1000,
      now: () => clock,
    });
    const evaluating = (done: number): TrainerEvent => ({
      ...base,
      event: 'evaluating',
      split: 'test',
      done,
      total: 120,
    });
    reporter.onEvent(evaluating(0));
    clock = 100;
    reporter.onEvent(evaluating(16));
    clock = 1200;
    reporter.onEvent(evaluating(40));
    await reporter.flush();
    assert.deepEqual(
      sent.map((p) => [p.phase, p.evalDone, p.evalTotal]),
      [
        ['evaluating', 0, 120],
        ['evaluating', 40, 120],
      ],
      'the first report goes out at once, later ones at most once per interval',
    );
    const run: RunView = {
      id: 'r1',
      task: 'customer_service',
      method: 'lora',
      seed: 0,
      learningRate: 0.0005,
      state: 'running',
      attempts: 1,
      progress: { ...sent[1], evalLoss: 1.25 },
      error: null,
      startedAt: new Date(0),
    };
    assert.match(
      runLine(run, new Date(1000)),
      /: evaluating \[####-+\] 40\/120 test prompts, val loss 1\.25/,
    );
    assert.match(
      runLine({ ...run, progress: { phase: 'training', step: 3, total: 10 } }, new Date(1000)),
      /3\/10/,
    );
  });

  it('reports a resumed run at once with the step it continued from, and the status line says it', async () => {
    let clock = 0;
    const sent: RunProgress[] = [];
    const reporter = new RunProgressReporter({
      send: async (progress) => {
        sent.push(progress);
      },
      intervalMs: 1000,
      now: () => clock,
    });
    reporter.onEvent({ ...base, event: 'resumed', step: 6, total: 10 });
    clock = 100;
    reporter.onEvent(step(7, 1.1));
    await reporter.flush();
    assert.deepEqual(
      sent.map((p) => [p.phase, p.step, p.total, p.resumedFrom]),
      [
        ['training', 6, 10, 6],
        ['training', 7, 10, 6],
      ],
    );
    assert.deepEqual(sent[1]?.points, [{ series: 'train_loss', step: 7, value: 1.1 }]);
    const run: RunView = {
      id: 'r1',
      task: 'customer_service',
      method: 'lora',
      seed: 0,
      learningRate: 0.0005,
      state: 'running',
      attempts: 2,
      progress: sent[1],
      error: null,
      startedAt: new Date(0),
    };
    assert.match(
      runLine(run, new Date(1000)),
      /7\/10 loss 1\.100, ETA 3\.0 s, resumed from step 6 \(attempt 2\)$/,
    );
  });

  it('sends pending steps after the interval even when no further event comes, and survives send errors', async () => {
    const sent: RunProgress[] = [];
    const logs: string[] = [];
    let fail = true;
    const reporter = new RunProgressReporter({
      send: async (progress) => {
        if (fail) {
          fail = false;
          throw new Error('redis down');
        }
        sent.push(progress);
      },
      intervalMs: 50,
      log: (message) => logs.push(message),
    });
    reporter.onEvent(step(1, 3));
    reporter.onEvent(step(2, 2));
    await new Promise((resolve) => setTimeout(resolve, 150));
    await reporter.flush();
    assert.deepEqual(logs, ['progress report failed: redis down']);
    assert.deepEqual(sent[0]?.points, [{ series: 'train_loss', step: 2, value: 2 }]);
    assert.equal(seriesForSplit('validation'), 'eval_loss');
  });
});

describe('run failure messages', () => {
  it('round-trips through the BullMQ failed reason', () => {
    const failure: RunFailure = {
      kind: 'oom',
      message: 'out of memory at step 12 with batch_size=32; try batch_size=16',
      step: 12,
      batchSize: 32,
      exitCode: 1,
      signal: null,
      stderrTail: ['torch.OutOfMemoryError'],
      attempt: 1,
    };
    assert.deepEqual(parseRunFailure(formatRunFailure(failure)), failure);
  });

  it('reads plain-text reasons (from BullMQ itself) as unknown failures', () => {
    const parsed = parseRunFailure('job stalled more than allowable limit');
    assert.equal(parsed.kind, 'unknown');
    assert.equal(parsed.message, 'job stalled more than allowable limit');
    assert.equal(parseRunFailure(undefined).message, 'the run failed without a reason');
    assert.equal(parseRunFailure('{"kind": 3}').kind, 'unknown');
    assert.equal(parseRunFailure('[1,2]').message, '[1,2]');
  });
});
