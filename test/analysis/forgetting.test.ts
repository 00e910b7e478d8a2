/**
 * Learning against forgetting from recorded tiny-model runs (three seeds per method): the table
 * per task, one scatter point per run, and nothing when runs did not measure it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeComparison } from '../../src/analysis/comparison-analysis';
import { forgettingOf, forgettingPoints, forgettingTable } from '../../src/analysis/forgetting';
import { comparisonChartSpecs } from '../../src/charts/comparison-charts';
import { ChartRenderer } from '../../src/charts/renderer';
import { resultsReply } from '../../src/comparison/results-reply';
import { matchGolden } from '../charts/pixel-compare';
import { loadFixtureRuns } from '../fixtures/runs/load';

const runs = loadFixtureRuns(() => true, new URL('../fixtures/forgetting-runs/', import.meta.url));
const analysis = analyzeComparison(runs);
const task = analysis.tasks[0];
assert.ok(task);

describe('learning and forgetting', () => {
  it('has one point per run with what the trainer measured', () => {
    const points = forgettingPoints(task);
    assert.equal(points.length, 6);
    for (const run of runs) {
      const measured = forgettingOf(run.summary as never);
      assert.ok(measured);
      const point = points.find((p) => p.method === run.method && p.seed === run.seed);
      assert.equal(point?.learning, measured.learning);
      assert.equal(point?.forgetting, measured.forgetting);
    }
  });

  it('tabulates both methods with means and intervals over seeds', () => {
    const table = forgettingTable(task);
    assert.ok(table);
    assert.equal(table.title, 'Learning and forgetting, customer_service (measured)');
    assert.deepEqual(
      table.rows.map((r) => [r[0], r[1]]),
      [
        ['LoRA', '3'],
        ['Full FT', '3'],
      ],
    );
    for (const row of table.rows) {
      assert.match(row[2] ?? '', /^\d\.\d{3} -> \d\.\d{3}$/);
      assert.match(row[3] ?? '', /^-?\d\.\d{3} ± \d\.\d{3}$/);
      assert.match(row[5] ?? '', /^-?\d\.\d{3} ± \d\.\d{3}$/);
    }
    assert.match(table.notes?.[0] ?? '', /General text: 32 held-out Python standard-library docstrings/);
  });

  it('is in the results reply, and absent for runs that did not measure it', async () => {
    const [reply] = await resultsReply({ id: 'fg00001', state: 'completed', plan: {}, runs });
    assert.ok(reply?.tables?.some((t) => t.title === 'Learning and forgetting, customer_service (measured)'));
    const old = analyzeComparison(loadFixtureRuns());
    assert.ok(old.tasks.every((t) => forgettingTable(t) === undefined && !forgettingPoints(t).length));
    assert.ok(!comparisonChartSpecs(old).some((s) => s.filename.startsWith('learning-vs-forgetting')));
  });

  it('draws the scatter: one point per run, both methods', async () => {
    const spec = comparisonChartSpecs(analysis).find(
      (s) => s.filename === 'learning-vs-forgetting-customer_service.png',
    );
    assert.ok(spec);
    assert.match(spec.altText, /LoRA: learning [\d.]+, forgetting [\d.]+ \(mean of 3\)\. Full FT: learning /);
    const image = await new ChartRenderer().render(spec);
    const diff = await matchGolden(
      image.png,
      fileURLToPath(new URL('../charts/golden/learning-vs-forgetting-customer_service.png', import.meta.url)),
    );
    assert.ok(
      !diff || diff.changedShare <= 0.005,
      `${((diff?.changedShare ?? 0) * 100).toFixed(2)}% of pixels changed`,
    );
  });
});
