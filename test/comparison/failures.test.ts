import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRunFailure } from '../../jobs/worker/run-failure';
import { explainFailure } from '../../src/comparison/failures';

describe('explainFailure', () => {
  it('says out of memory with the batch size, step and what to try', () => {
    const text = explainFailure('full', {
      kind: 'oom',
      message: 'CUDA out of memory',
      step: 120,
      batchSize: 8,
    });
    assert.equal(
      text,
      'Out of memory in full fine-tuning at step 120, batch 8: try batch_size=4 or gradient checkpointing.',
    );
  });
  it('passes user errors through and names crashes by exit code or signal', () => {
    assert.match(
      explainFailure('lora', { kind: 'bad_data', message: 'line 3: missing "completion"' }),
      /LoRA could not start: line 3/,
    );
    assert.match(
      explainFailure('lora', {
        kind: 'crash',
        message: 'x',
        exitCode: 1,
        stderrTail: ['a', 'Segfault here'],
      }),
      /exited with code 1: Segfault here/,
    );
    assert.match(
      explainFailure('full', { kind: 'crash', message: 'x', signal: 'SIGKILL' }),
      /killed by SIGKILL/,
    );
  });
  it('says a full disk plainly, that it was not retried, and how to run it again', () => {
    assert.equal(
      explainFailure('full', {
        kind: 'disk_full',
        message:
          'disk full on worker w1 while writing (OSError: [Errno 28] No space left on device); free space in the artifact directory or the cache on that worker, then retry',
        exitCode: 1,
      }),
      'full fine-tuning could not save its results: disk full on worker w1 while writing (OSError: [Errno 28] No space left on device); free space in the artifact directory or the cache on that worker, then retry. It was not retried (it would fail the same way); once space is freed, /faceoff retry runs it again.',
    );
  });

  it('reads worker failure reasons, JSON or plain', () => {
    const oom = parseRunFailure('{"kind":"oom","message":"m","step":3,"batchSize":8}');
    assert.equal(
      explainFailure('full', oom),
      'Out of memory in full fine-tuning at step 3, batch 8: try batch_size=4 or gradient checkpointing.',
    );
    assert.match(explainFailure('lora', parseRunFailure('boom')), /The LoRA trainer crashed: boom/);
  });
});
