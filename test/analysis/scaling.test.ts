import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPairedRatio } from '../../src/analysis/method-gap';
import type { RunLike } from '../../src/analysis/run-summary';
import { analyzeScaling, pairedRatio } from '../../src/analysis/scaling';
import { scalingTable, trendSentence } from '../../src/analysis/scaling-table';
import { scalingGapChart, scalingRatiosChart } from '../../src/charts/configs/scaling';
import { ChartRenderer } from '../../src/charts/renderer';
import { pngSize } from '../charts/pixel-compare';
import { completedRun, runSummary } from './run-builders';

const METRIC = 'exact_match';

/** One model's runs: per seed, LoRA and full scores on the primary metric, and resources. */
function modelRuns(
  model: string,
  params: number,
  scores: { lora: number[]; full: number[] },
  resources: { loraTime?: number; fullTime?: number } = {},
): RunLike[] {
  return (['lora', 'full'] as const).flatMap((method) =>
    scores[method].map((value, seed) =>
      completedRun(
        runSummary({
          task: 'customer_service',
          method,
          seed,
          model,
          metrics: { [METRIC]: value },
          metric_info: { [METRIC]: { description: 'share exactly right', higher_is_better: true } },
          primary_metric: METRIC,
          total_params: params,
          trainable_params: method === 'lora' ? params / 20 : params,
          wall_time_s: (method === 'lora' ? (resources.loraTime ?? 10) : (resources.fullTime ?? 20)) + seed,
          peak_memory_bytes: method === 'lora' ? 1e8 : 1.5e8,
          artifact_bytes: method === 'lora' ? params * 0.2 : params * 4,
        }),
      ),
    ),
  );
}

describe('scaling analysis', () => {
  it('pairs ratios by seed and summarises them on the log scale', () => {
    const lora = [0, 1, 2].map((seed) => runSummary({ task: 't', method: 'lora', seed, wall_time_s: 10 }));
    const full = [0, 1, 2].map((seed) =>
      runSummary({ task: 't', method: 'full', seed, wall_time_s: [20, 40, 20][seed] as number }),
    );
    const ratio = pairedRatio(lora, full, 'wall_time_s');
    assert.equal(ratio.n, 3);
    // Geometric mean of 2, 4 and 2.
    assert.ok(Math.abs((ratio.ratio ?? 0) - 2 * 2 ** (1 / 3)) < 1e-9);
    assert.ok(ratio.ci && ratio.ci.low < 2 && ratio.ci.high > 4);
    assert.match(formatPairedRatio(ratio), /^2\.52x \(\d+\.\d+-\d+\.\d+x\)$/);
    const one = pairedRatio(lora.slice(0, 1), full.slice(0, 1), 'wall_time_s');
    assert.deepEqual(one, { n: 1, ratio: 2, ci: undefined });
    assert.equal(formatPairedRatio(one), '2.00x (1 seed)');
    // A seed without its partner is left out, not paired with another seed.
    assert.equal(pairedRatio(lora.slice(0, 1), full.slice(1), 'wall_time_s').n, 0);
  });

  it('orders models by parameters and measures how the gap moves per tenfold parameters', () => {
    const analysis = analyzeScaling([
      { model: 'large', runs: modelRuns('large', 1e7, { lora: [0.5, 0.52, 0.5], full: [0.6, 0.62, 0.61] }) },
      { model: 'small', runs: modelRuns('small', 1e5, { lora: [0.1, 0.12, 0.1], full: [0.4, 0.41, 0.42] }) },
      { model: 'mid', runs: modelRuns('mid', 1e6, { lora: [0.3, 0.3, 0.31], full: [0.5, 0.52, 0.5] }) },
      { model: 'broken', runs: [] },
    ]);
    assert.deepEqual(
      analysis.rows.map((r) => r.model),
      ['small', 'mid', 'large'],
    );
    assert.deepEqual(analysis.missing, ['broken']);
    assert.ok(analysis.rows.every((r) => r.outcome === 'full_better'));
    const [trend] = analysis.trends;
    // Gaps about 0.303, 0.203, 0.103: full's lead shrinks by about 0.1 per decade.
    assert.ok(
      trend && Math.abs((trend.advantagePerDecade ?? 0) + 0.1) < 0.005,
      String(trend?.advantagePerDecade),
    );
    assert.ok(Math.abs((analysis.rows[0]?.trainableShare ?? 0) - 0.05) < 1e-12);
    assert.ok(Math.abs((analysis.rows[0]?.ratios.artifact_bytes.ratio ?? 0) - 20) < 1e-9);
    const sentence = trendSentence(analysis, 'customer_service') ?? '';
    assert.match(sentence, /changes by -0\.100 per tenfold parameters over 3 sizes/);
    assert.match(sentence, /LoRA closes the gap/);
    assert.match(sentence, /3 of 3 sizes have a significant difference/);
    const table = scalingTable(analysis);
    assert.deepEqual(
      table.rows.map((r) => [r[1], r[2], r[6]]),
      [
        ['small', '100.0k', 'Full FT'],
        ['mid', '1.00M', 'Full FT'],
        ['large', '10.00M', 'Full FT'],
      ],
    );
    assert.ok(table.notes?.some((n) => n === 'No completed pair of runs: broken.'));
  });

  it('turns the sign for a lower-is-better primary measure (validation loss when a task has no metric)', () => {
    const lossRuns = (model: string, params: number, loss: { lora: number; full: number }) =>
      (['lora', 'full'] as const).flatMap((method) =>
        [0, 1].map((seed) =>
          completedRun(
            runSummary({
              task: 'ds-abc',
              method,
              seed,
              model,
              total_params: params,
              final_eval_loss: loss[method] + seed * 0.01,
            }),
          ),
        ),
      );
    const analysis = analyzeScaling([
      { model: 'a', runs: lossRuns('a', 1e5, { lora: 2.0, full: 1.5 }) },
      { model: 'b', runs: lossRuns('b', 1e6, { lora: 1.8, full: 1.5 }) },
    ]);
    assert.equal(analysis.rows[0]?.primary?.metric.higherIsBetter, false);
    // Full's advantage: 0.5 then 0.3 lower loss: it shrinks by 0.2 per decade.
    assert.ok(Math.abs((analysis.trends[0]?.advantagePerDecade ?? 0) + 0.2) < 1e-9);
  });

  it('draws the gap and the cost ratios as PNG charts that describe every bar in words', async () => {
    const analysis = analyzeScaling([
      { model: 'small', runs: modelRuns('small', 1e5, { lora: [0.1, 0.12, 0.1], full: [0.4, 0.41, 0.42] }) },
      { model: 'mid', runs: modelRuns('mid', 1e6, { lora: [0.3, 0.3, 0.31], full: [0.5, 0.52, 0.5] }) },
    ]);
    const renderer = new ChartRenderer();
    for (const spec of [scalingGapChart(analysis), scalingRatiosChart(analysis)]) {
      assert.ok(spec);
      const image = await renderer.render(spec);
      assert.deepEqual(pngSize(image.png), spec.size);
      assert.match(image.altText, /small.*mid/);
    }
    assert.equal(
      scalingGapChart(analyzeScaling([{ model: 'small', runs: [] }])),
      undefined,
      'nothing to draw',
    );
  });
});
