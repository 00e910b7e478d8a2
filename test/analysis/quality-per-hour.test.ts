/**
 * Quality per device-hour from recorded tiny-model runs that scored the primary metric on a fixed
 * test subset at every evaluation point: hours to 90/95/98% of each method's own final score and of
 * the better one's, the table and the chart.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeComparison } from '../../src/analysis/comparison-analysis';
import { QUALITY_SHARES, qualityPerHour, qualityPerHourTable } from '../../src/analysis/quality-per-hour';
import type { RunSummary } from '../../src/analysis/run-summary';
import { comparisonChartSpecs } from '../../src/charts/comparison-charts';
import { ChartRenderer } from '../../src/charts/renderer';
import { matchGolden } from '../charts/pixel-compare';
import { loadFixtureRuns } from '../fixtures/runs/load';

const runs = loadFixtureRuns(() => true, new URL('../fixtures/deployment-runs/', import.meta.url));
const analysis = analyzeComparison(runs);
const task = analysis.tasks[0];
assert.ok(task);
const quality = qualityPerHour(task);
assert.ok(quality);

describe('quality per device-hour', () => {
  it('places each method on training device-hours and reads the targets off its curve', () => {
    assert.deepEqual(
      quality.methods.map((m) => m.method),
      ['lora', 'full'],
    );
    assert.equal(quality.hoursKind, 'device-hours (CPU)');
    assert.equal(quality.best, Math.max(...quality.methods.map((m) => m.final)));
    for (const m of quality.methods) {
      const seeds = task[m.method]?.runs ?? [];
      const lastSeconds = seeds.map(
        (r) =>
          (r as RunSummary & { quality_curve: { train_seconds: number }[] }).quality_curve.at(-1)
            ?.train_seconds ?? 0,
      );
      const expected = lastSeconds.reduce((a, b) => a + b, 0) / lastSeconds.length / 3600;
      assert.ok(
        Math.abs((m.curve.at(-1)?.hours ?? 0) - expected) < 1e-12,
        'hours are training seconds / 3600',
      );
      for (let i = 1; i < m.curve.length; i += 1)
        assert.ok((m.curve[i]?.hours ?? 0) > (m.curve[i - 1]?.hours ?? 0));
      QUALITY_SHARES.forEach((share, i) => {
        const own = m.toOwn[i];
        if (m.final > 0) {
          assert.ok(own !== undefined, 'a method always reaches a share of its own final score');
          const first = m.curve.find((p) => p.metric >= share * m.final);
          assert.equal(own, first?.hours);
        } else assert.equal(own, undefined);
      });
    }
    const better = quality.methods.find((m) => m.final === quality.best);
    assert.ok(better?.toBest.every((h, i) => h === better.toOwn[i]));
  });

  it('tables what was measured and on how many items', () => {
    const table = qualityPerHourTable(quality);
    assert.match(
      table.title ?? '',
      /customer_service: quality per device-hours \(CPU\), measured \(.* on \d+ fixed test items/,
    );
    assert.equal(table.rows.length, 2);
    assert.equal(table.columns.length, 8);
  });

  it('draws metric against device-hours for both methods', async () => {
    const spec = comparisonChartSpecs(analysis).find(
      (s) => s.filename === 'quality-per-hour-customer_service.png',
    );
    assert.ok(spec);
    assert.match(spec.altText, /LoRA ends at [\d.]+; it reached 90% of the best in/);
    const image = await new ChartRenderer().render(spec);
    const diff = await matchGolden(
      image.png,
      fileURLToPath(new URL('../charts/golden/quality-per-hour-customer_service.png', import.meta.url)),
    );
    assert.ok(
      !diff || diff.changedShare <= 0.005,
      `${((diff?.changedShare ?? 0) * 100).toFixed(2)}% of pixels changed`,
    );
  });

  it('is absent when the runs recorded no curve (older runs)', () => {
    const old = loadFixtureRuns();
    assert.ok(analyzeComparison(old).tasks.every((t) => qualityPerHour(t) === undefined));
  });
});
