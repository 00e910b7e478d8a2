import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeCombination } from '../../src/analysis/combination';
import { combinationChart } from '../../src/charts/configs/combination';
import { ChartRenderer } from '../../src/charts/renderer';
import { loadCombineRuns } from '../fixtures/combine-runs/load';
import { matchGolden, pngSize } from './pixel-compare';

/** Share of pixels allowed to differ from the golden image (anti-aliasing, font hinting). */
const PIXEL_TOLERANCE = 0.005;

describe('the combination chart from recorded combine runs', () => {
  const analysis = analyzeCombination(loadCombineRuns(), ['tone', 'knowledge', 'troubleshooting']);

  it('has one group per variant and a bar per skill set and the combined set', () => {
    assert.ok(analysis);
    assert.deepEqual(
      analysis.rows.map((r) => r.label),
      [
        'LoRA tone only',
        'LoRA knowledge only',
        'LoRA troubleshooting only',
        'Multi-task LoRA',
        'Multi-task full FT',
        'Combined (linear)',
        'Combined (cat)',
      ],
    );
    assert.ok(analysis.rows.every((r) => r.scores.combined?.n === 2));
  });

  it('combination.png: matches its golden image', async () => {
    assert.ok(analysis);
    const spec = combinationChart(analysis);
    assert.ok(spec);
    const image = await new ChartRenderer().render(spec);
    assert.deepEqual(pngSize(image.png), spec.size);
    assert.ok(image.altText.includes('Combined (cat): combined set'), image.altText);
    const diff = await matchGolden(
      image.png,
      fileURLToPath(new URL('./golden/combination.png', import.meta.url)),
    );
    if (diff)
      assert.ok(
        diff.changedShare <= PIXEL_TOLERANCE,
        `combination.png: ${(diff.changedShare * 100).toFixed(2)}% of pixels changed`,
      );
  });
});
