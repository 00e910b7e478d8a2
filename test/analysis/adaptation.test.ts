import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adaptationAcrossDomains, adaptationTable } from '../../src/analysis/adaptation';
import { analyzeComparison } from '../../src/analysis/comparison-analysis';
import type { RunLike } from '../../src/analysis/run-summary';
import { adaptationChart } from '../../src/charts/configs/adaptation';
import { ChartRenderer } from '../../src/charts/renderer';
import { pngSize } from '../charts/pixel-compare';
import { completedRun, runSummary } from './run-builders';

/**
 * A run whose validation loss falls from 2 to 1 and covers 95% of that fall at `plateauStep`
 * (validation every 15 steps up to 120), scoring `score` on the task's primary metric.
 */
function run(
  task: string,
  method: 'lora' | 'full',
  seed: number,
  plateauStep: number,
  score: number,
): RunLike {
  const steps = [15, 30, 45, 60, 75, 90, 105, 120];
  return completedRun(
    runSummary({
      task,
      method,
      seed,
      train_curve: [{ step: 1, loss: 2 }],
      eval_curve: steps.map((step) => ({ step, eval_loss: step >= plateauStep ? 1 : 1.5 })),
      final_eval_loss: 1,
      metrics: { exact_match: score },
      metric_info: { exact_match: { description: 'share exactly right', higher_is_better: true } },
      primary_metric: 'exact_match',
    }),
  );
}

describe('adaptation across domains', () => {
  const runs = [0, 1, 2].flatMap((seed) => [
    // Domain a: LoRA plateaus at 30, full at 90 (3x), full scores 0.1 higher.
    run('a', 'lora', seed, 30, 0.5 + seed * 0.01),
    run('a', 'full', seed, 90, 0.6 + seed * 0.012),
    // Domain b: both at 60, no gap to speak of.
    run('b', 'lora', seed, 60, 0.4 + seed * 0.02),
    run('b', 'full', seed, 60, 0.4 + seed * 0.021),
  ]);

  it('measures steps to plateau per domain, the paired speed gain and the gap on the primary metric', () => {
    const summary = adaptationAcrossDomains(analyzeComparison(runs).tasks);
    assert.ok(summary);
    const [a, b] = summary.rows;
    assert.equal(a?.lora.mean, 30);
    assert.equal(a?.full.mean, 90);
    assert.ok(Math.abs((a?.speedGain.ratio ?? 0) - 3) < 1e-9);
    assert.equal(a?.speedGain.n, 3);
    assert.ok(Math.abs((b?.speedGain.ratio ?? 0) - 1) < 1e-9);
    assert.ok(Math.abs((summary.averageSpeedGain ?? 0) - Math.sqrt(3)) < 1e-9, 'geometric mean of 3 and 1');
    assert.equal(summary.evalEvery, 15);
    const table = adaptationTable(summary);
    assert.deepEqual(table.rows[0]?.slice(0, 3), ['a', '30 ± 0', '90 ± 0']);
    assert.match(table.rows[0]?.[3] ?? '', /^3\.00x \(3\.00-3\.00x\)$/);
    assert.match(table.rows[0]?.[5] ?? '', /Full FT/);
    assert.equal(table.rows.at(-1)?.[0], 'Average');
    assert.match(table.rows.at(-1)?.[3] ?? '', /^1\.73x \(geometric mean\)$/);
    assert.ok(table.notes?.some((n) => n.includes('validation every 15 steps')));
    assert.ok(
      table.notes?.some((n) =>
        n.startsWith('LoRA faster with an interval above 1: a; slower with an interval below 1: none.'),
      ),
    );
  });

  it('is part of a multi-task comparison only, with a chart that names every domain', async () => {
    assert.equal(analyzeComparison(runs.filter((r) => r.task === 'a')).adaptation, undefined);
    const analysis = analyzeComparison(runs);
    const spec = adaptationChart(analysis.adaptation as NonNullable<typeof analysis.adaptation>);
    assert.ok(spec);
    const image = await new ChartRenderer().render(spec);
    assert.deepEqual(pngSize(image.png), spec.size);
    assert.match(
      image.altText,
      /a: LoRA 30, full 90 steps \(full\/LoRA 3\.00x, gap \+0\.\d+\); b: LoRA 60, full 60/,
    );
  });
});
