import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeComparison } from '../../src/analysis/comparison-analysis';
import { efficiencyMeasures } from '../../src/analysis/efficiency';
import { taskHeadline } from '../../src/analysis/headlines';
import { measuredCompute, measuredCostInputs } from '../../src/analysis/measured-cost';
import { ARTICLE_COST_INPUTS } from '../../src/cost/inputs';
import { loadFixtureRuns } from '../fixtures/runs/load';
import { runSummary, scoredRuns } from './run-builders';

const close = (actual: number | undefined, expected: number) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);

describe('efficiency ratios full / LoRA', () => {
  const lora = [0, 1].map((seed) =>
    runSummary({
      task: 't',
      method: 'lora',
      seed,
      wall_time_s: 10 + seed * 2,
      trainable_params: 1000,
      artifact_bytes: 2e4,
    }),
  );
  const full = [0, 1].map((seed) =>
    runSummary({
      task: 't',
      method: 'full',
      seed,
      wall_time_s: 22,
      trainable_params: 100000,
      artifact_bytes: 4e6,
      peak_memory_bytes: 3e8,
    }),
  );
  it('divides the means: wall 22 / 11, memory 3, parameters 100, storage 200', () => {
    const byKey = Object.fromEntries(efficiencyMeasures(lora, full).map((m) => [m.key, m]));
    close(byKey.wall_time_s?.ratio, 2);
    close(byKey.peak_memory_bytes?.ratio, 3);
    close(byKey.trainable_params?.ratio, 100);
    close(byKey.artifact_bytes?.ratio, 200);
    assert.equal(byKey.peak_memory_bytes?.label, 'Peak memory (process RSS, CPU)');
  });
  it('prices CPU device-hours at the assumed rates and says so', () => {
    const compute = measuredCompute(lora, full);
    assert.equal(compute.hoursKind, 'device-hours (CPU)');
    close(compute.cost.lora, (10 / 3600) * ARTICLE_COST_INPUTS.lora_gpu_rate);
    close(compute.cost.full, (10 / 3600) * ARTICLE_COST_INPUTS.full_gpu_rate);
    assert.match(compute.rates.source, /assumed/);
  });
  it('uses GPU-hours when the runs report them', () => {
    const gpu = [runSummary({ task: 't', method: 'full', seed: 0, gpu_hours: 2, device: 'cuda (H200)' })];
    assert.equal(measuredCompute(gpu, gpu).hoursKind, 'GPU-hours');
    close(measuredCompute(gpu, gpu).hours.full.mean, 2);
  });
  it('cost-model inputs: one run per task and method, LoRA storing the base model once plus adapters', () => {
    const inputs = measuredCostInputs([
      { task: 'a', lora, full },
      { task: 'b', lora, full },
    ]);
    assert.ok(inputs);
    close(inputs.full_gpu_hours, 2 * (10 / 3600)); // device_hours of each run, one run per task
    close(inputs.full_storage_gb, (2 * 4e6) / 1e9);
    close(inputs.lora_storage_gb, (4e6 + 2 * 2e4) / 1e9);
    assert.equal(inputs.full_eng_hours, 0);
    assert.equal(measuredCostInputs([{ task: 'a', lora, full: [] }]), undefined);
  });
});

describe('analyzeComparison over a suite of two tasks', () => {
  const runs = [
    // task a: full clearly ahead (differences 0.2, 0.2, 0.25); validation loss lower for full
    ...scoredRuns(
      'a',
      'exact',
      { lora: [0.5, 0.55, 0.5], full: [0.7, 0.75, 0.75] },
      { lora: [1, 1.1, 1.2], full: [0.5, 0.6, 0.6] },
    ),
    // task b: identical scores
    ...scoredRuns('b', 'accuracy', { lora: [0.6, 0.7, 0.8], full: [0.6, 0.7, 0.8] }),
  ];
  const analysis = analyzeComparison(runs);
  it('has one analysis per task with the primary metric first', () => {
    assert.deepEqual(
      analysis.tasks.map((t) => t.task),
      ['a', 'b'],
    );
    assert.equal(analysis.tasks[0]?.metrics[0]?.metric.name, 'exact');
    assert.equal(analysis.tasks[0]?.primary?.metric.primary, true);
  });
  it('declares the winner per task from the paired interval', () => {
    const suite = analysis.suite;
    assert.ok(suite);
    assert.deepEqual(
      suite.rows.map((r) => r.winner),
      ['full_better', 'no_significant_difference'],
    );
    assert.deepEqual(suite.wins, { full_better: 1, lora_better: 0, no_significant_difference: 1 });
  });
  it('averages the per-task gaps full - LoRA across tasks', () => {
    const gap = (role: string) => analysis.suite?.averageGaps.find((g) => g.role.role === role);
    // primary: task a mean difference (0.2 + 0.2 + 0.25) / 3, task b 0 -> half of it
    close(gap('primary')?.gap, (0.65 / 3 + 0) / 2);
    assert.equal(gap('primary')?.tasks, 2);
    // validation loss: task a (-0.5 - 0.5 - 0.6) / 3, task b 0
    close(gap('validation_loss')?.gap, -1.6 / 3 / 2);
  });
  it('judges validation loss as lower-is-better', () => {
    const loss = analysis.tasks[0]?.metrics.find((m) => m.metric.name === 'final_eval_loss');
    assert.equal(loss?.verdict.outcome, 'full_better');
  });
  it('leaves standard-error entries out of the metrics', () => {
    const withStderr = scoredRuns('c', 'exact', { lora: [0.5, 0.6], full: [0.6, 0.7] }).map((r) => ({
      ...r,
      summary: {
        ...(r.summary as object),
        metrics: { ...(r.summary as { metrics: object }).metrics, exact_stderr: 0.02 },
      },
    }));
    const names = analyzeComparison(withStderr).tasks[0]?.metrics.map((m) => m.metric.name);
    assert.ok(names && !names.includes('exact_stderr'));
  });
  it('has no suite summary for a single task', () => {
    assert.equal(analyzeComparison(scoredRuns('a', 'exact', { lora: [0.5], full: [0.6] })).suite, undefined);
  });
});

describe('the headline of a task only one method ran', () => {
  it('says so instead of a verdict (a hybrid plan that skipped full fine-tuning)', () => {
    const runs = loadFixtureRuns((s) => s.task === 'customer_service' && s.method === 'lora');
    const [task] = analyzeComparison(runs).tasks;
    assert.ok(task);
    assert.match(
      taskHeadline(task),
      /^customer_service: only LoRA has completed runs, so there is nothing to compare it with \(measured .+ below\)\.$/,
    );
  });
});
