import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeComparison } from '../../src/analysis/comparison-analysis';
import type { ChartSpec } from '../../src/charts/chart-spec';
import { comparisonChartSpecs } from '../../src/charts/comparison-charts';
import { costChart } from '../../src/charts/configs/cost';
import { decisionChart } from '../../src/charts/configs/decision';
import { lossCurvesChart } from '../../src/charts/configs/loss-curves';
import { ChartRenderer } from '../../src/charts/renderer';
import { compareCosts } from '../../src/cost/cost-model';
import { ARTICLE_COST_INPUTS } from '../../src/cost/inputs';
import { decide } from '../../src/decision/recommendation';
import { loadFixtureRuns } from '../fixtures/runs/load';
import { matchGolden, pngSize } from './pixel-compare';

/** Share of pixels allowed to differ from the golden image (anti-aliasing, font hinting). */
const PIXEL_TOLERANCE = 0.005;

const analysis = analyzeComparison(loadFixtureRuns());
const verdict = decide({
  performance: { value: 'no', label: 'no' },
  behaviour: { value: 'yes', label: 'yes' },
  variants: { value: 'yes', label: 'yes' },
});
const specs: ChartSpec[] = [
  ...comparisonChartSpecs(analysis),
  decisionChart(verdict),
  costChart(compareCosts({ ...ARTICLE_COST_INPUTS, full_gpu_hours: 40, lora_gpu_hours: 4, months: 6 }), {
    basis: ['Cost model, preset article with overrides: computed from assumptions, not measured'],
  }),
];
const renderer = new ChartRenderer();

describe('charts from recorded trainer runs', () => {
  it('covers loss curves per task, task metrics, efficiency, measured cost, decision and cost-model charts', () => {
    const names = specs.map((s) => s.filename);
    for (const task of analysis.tasks) assert.ok(names.includes(`loss-curves-${task.task}.png`));
    for (const name of [
      'task-metrics.png',
      'efficiency.png',
      'measured-cost.png',
      'decision-scores.png',
      'cost.png',
    ]) {
      assert.ok(names.includes(name), name);
    }
  });

  for (const spec of specs) {
    it(`${spec.filename}: a ${spec.size.width}x${spec.size.height} PNG matching its golden image`, async () => {
      const image = await renderer.render(spec);
      assert.deepEqual(pngSize(image.png), spec.size);
      assert.equal(image.filename, spec.filename);
      assert.ok(image.title && image.altText.length > 80, image.altText);
      const diff = await matchGolden(
        image.png,
        fileURLToPath(new URL(`./golden/${spec.filename}`, import.meta.url)),
      );
      if (diff)
        assert.ok(
          diff.changedShare <= PIXEL_TOLERANCE,
          `${spec.filename}: ${(diff.changedShare * 100).toFixed(2)}% of pixels changed`,
        );
    });
  }

  it('the synchronous path draws the same picture', async () => {
    const spec = specs.find((s) => s.filename === 'cost.png') as ChartSpec;
    const image = renderer.renderSync(spec);
    const diff = await matchGolden(image.png, fileURLToPath(new URL('./golden/cost.png', import.meta.url)));
    assert.ok(!diff || diff.changedShare <= PIXEL_TOLERANCE);
  });

  it('keeps one canvas instance per image size', () => {
    const sizes = new Set(specs.map((s) => `${s.size.width}x${s.size.height}`));
    assert.deepEqual(new Set(renderer.sizes), sizes);
  });
});

describe('alt text carries the key numbers', () => {
  it('loss curves: final validation loss and plateau step of each method', () => {
    const task = analysis.tasks[0];
    assert.ok(task);
    const alt = lossCurvesChart(task)?.altText ?? '';
    const finalLoss = task.metrics.find((m) => m.metric.name === 'final_eval_loss')?.lora.mean;
    assert.ok(finalLoss !== undefined && alt.includes(finalLoss.toFixed(3)), alt);
    assert.match(alt, /LoRA \(\d seeds?\)/);
    assert.match(alt, /Full FT \(\d seeds?\)/);
  });
  it('efficiency: measured values with units and the full/LoRA ratio', () => {
    const alt = specs.find((s) => s.filename === 'efficiency.png')?.altText ?? '';
    assert.match(
      alt,
      /Trainable parameters: LoRA [\d.]+k params, Full FT [\d.]+k params \(full\/LoRA [\d.]+x\)/,
    );
    assert.match(alt, /Wall time: LoRA [^,]+ s, Full FT [^,]+ s/);
  });
  it('decision: weighted totals and the recommendation', () => {
    const alt = specs.find((s) => s.filename === 'decision-scores.png')?.altText ?? '';
    assert.ok(alt.includes(`LoRA ${verdict.scores.loraTotal.toFixed(2)}`));
    assert.match(alt, /Recommendation: /);
  });
});
