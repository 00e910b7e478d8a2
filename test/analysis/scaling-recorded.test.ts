import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeScaling } from '../../src/analysis/scaling';
import { scalingTable } from '../../src/analysis/scaling-table';
import { scalingGapChart, scalingRatiosChart } from '../../src/charts/configs/scaling';
import { ChartRenderer } from '../../src/charts/renderer';
import { matchGolden, pngSize } from '../charts/pixel-compare';
import { loadFixtureRuns } from '../fixtures/runs/load';

const PIXEL_TOLERANCE = 0.005;
const MODELS = ['tiny-s', 'tiny', 'tiny-l'];
// Listed largest first: the analysis orders them by parameters.
const analysis = analyzeScaling(
  [...MODELS].reverse().map((model) => ({
    model,
    runs: loadFixtureRuns(() => true, new URL(`../fixtures/scaling-runs/${model}/`, import.meta.url)),
  })),
);

describe('scaling study from recorded tiny-family runs', () => {
  it('orders the models by base parameters and pairs every ratio over both seeds', () => {
    assert.deepEqual(
      analysis.rows.map((r) => [r.model, r.params]),
      [
        ['tiny-s', 134464],
        ['tiny', 469632],
        ['tiny-l', 1457472],
      ],
    );
    for (const row of analysis.rows) {
      for (const ratio of Object.values(row.ratios)) assert.equal(ratio.n, 2, row.model);
      assert.ok((row.ratios.artifact_bytes.ratio ?? 0) > 3, 'full weights outweigh the adapter');
    }
    // LoRA's share of trainable parameters falls as the model widens (rank 16 throughout).
    const shares = analysis.rows.map((r) => r.trainableShare ?? 1);
    assert.ok((shares[0] ?? 0) > (shares[1] ?? 0) && (shares[1] ?? 0) > (shares[2] ?? 0), String(shares));
    const storage = analysis.rows.map((r) => r.ratios.artifact_bytes.ratio ?? 0);
    assert.ok(
      (storage[0] ?? 0) < (storage[1] ?? 0) && (storage[1] ?? 0) < (storage[2] ?? 0),
      String(storage),
    );
  });

  it('says the rates were not swept and gives the trend as a direction, not a tested result', () => {
    const table = scalingTable(analysis, { lrSwept: false });
    assert.deepEqual(
      table.rows.map((r) => r[2]),
      ['134.5k', '469.6k', '1.46M'],
    );
    assert.ok(table.notes?.some((n) => n.includes('Learning rates were not swept')));
    assert.ok(table.notes?.some((n) => /per tenfold parameters over 3 sizes .* not a tested trend/.test(n)));
  });

  for (const spec of [scalingGapChart(analysis), scalingRatiosChart(analysis)]) {
    it(`${spec?.filename}: matches its golden image`, async () => {
      assert.ok(spec);
      const image = await new ChartRenderer().render(spec);
      assert.deepEqual(pngSize(image.png), spec.size);
      const diff = await matchGolden(
        image.png,
        fileURLToPath(new URL(`../charts/golden/${spec.filename}`, import.meta.url)),
      );
      if (diff)
        assert.ok(diff.changedShare <= PIXEL_TOLERANCE, `${(diff.changedShare * 100).toFixed(2)}% changed`);
    });
  }
});
