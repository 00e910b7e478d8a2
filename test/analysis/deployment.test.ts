/**
 * Deployment, measured: the table, the computed inference cost, iteration velocity and the
 * maintenance score, from recorded tiny-model runs that measured their deployment.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeComparison } from '../../src/analysis/comparison-analysis';
import { deploymentSummary, deploymentTable } from '../../src/analysis/deployment';
import { DEVICE_MONTH_SECONDS, iterationVelocity } from '../../src/analysis/iteration-velocity';
import { ratesFor } from '../../src/analysis/measured-cost';
import type { RunSummary } from '../../src/analysis/run-summary';
import { resultsReply } from '../../src/comparison/results-reply';
import { evidenceFromRuns } from '../../src/decision/evidence';
import { measuredScores } from '../../src/decision/measured-scores';
import { loadFixtureRuns } from '../fixtures/runs/load';

const runs = loadFixtureRuns(() => true, new URL('../fixtures/deployment-runs/', import.meta.url));
const analysis = analyzeComparison(runs);
const task = analysis.tasks[0];
assert.ok(task);
const summary = deploymentSummary(task, analysis.rates);
assert.ok(summary);

describe('deployment measured after training', () => {
  it('has the full model, the adapter unmerged and merged, averaged over the seeds (one recorded here)', () => {
    assert.deepEqual(
      summary.variants.map((v) => [v.variant, v.runs]),
      [
        ['full', 1],
        ['lora_unmerged', 1],
        ['lora_merged', 1],
      ],
    );
    for (const v of summary.variants) {
      assert.ok(v.p50Ms > 0 && v.p50Ms <= v.p95Ms, v.variant);
      assert.equal(v.newTokens, 16);
      assert.equal(v.requests, 8);
    }
    const bytes = Object.fromEntries(summary.variants.map((v) => [v.variant, v.servingBytes]));
    assert.ok(
      (bytes.lora_unmerged ?? 0) > (bytes.lora_merged ?? 0),
      'the unmerged adapter adds its matrices',
    );
    assert.equal(bytes.full, bytes.lora_merged, 'merged LoRA serves the same weights as a full model');
  });

  it('prices a million tokens from the measured tokens/s at the rate of each method', () => {
    for (const v of summary.variants) {
      const rate = v.method === 'full' ? analysis.rates.full : analysis.rates.lora;
      assert.ok(Math.abs(v.usdPerMillionTokens - (rate / (v.tokensPerS * 3600)) * 1e6) < 1e-9);
    }
  });

  it('renders a table that labels what is measured and what is computed', () => {
    const table = deploymentTable(summary);
    assert.match(
      table.title ?? '',
      /customer_service: deployment, measured \(batch 1, 16 new tokens per request, 8 requests/,
    );
    assert.equal(table.rows.length, 3);
    const [full, unmerged, merged] = table.rows;
    assert.match(full?.[6] ?? '', /^load checkpoint [\d.]+ (ms|s); roll back = load again$/);
    assert.match(unmerged?.[6] ?? '', /^swap adapter [\d.]+ (ms|s), roll back [\d.]+ (ms|s) \(adapter load/);
    assert.match(merged?.[6] ?? '', /^merge [\d.]+ (ms|s)/);
    assert.ok(table.notes?.some((n) => n.includes('computed') && n.includes(analysis.rates.source)));
  });

  it('reports a failed measurement instead of a number', () => {
    const broken = runs.map((r, i) =>
      i === 0
        ? {
            ...r,
            summary: {
              ...(r.summary as RunSummary),
              deployment: { error: 'not measured: OSError: disk full' },
            },
          }
        : r,
    );
    const t = analyzeComparison(broken).tasks[0];
    assert.ok(t);
    const s = deploymentSummary(t, analysis.rates);
    assert.ok(s?.errors.some((e) => e.endsWith('not measured: OSError: disk full')));
    assert.ok(s && deploymentTable(s).notes?.some((n) => n.startsWith('Not measured for')));
  });
});

describe('iteration velocity', () => {
  it('counts experiments per device-month from run time and adds the measured queue wait', () => {
    const dispatched = new Date('2026-12-01T10:00:00Z');
    const timed = runs.map((r, i) => ({ ...r, startedAt: new Date(dispatched.getTime() + i * 10_000) }));
    const rows = iterationVelocity(timed, dispatched);
    assert.deepEqual(rows.map((r) => r.method).sort(), ['full', 'lora']);
    for (const row of rows) {
      const walls = runs
        .filter((r) => r.method === row.method)
        .map((r) => (r.summary as RunSummary).wall_time_s);
      const mean = walls.reduce((a, b) => a + b, 0) / walls.length;
      assert.ok(Math.abs(row.runSeconds - mean) < 1e-9);
      assert.ok(Math.abs(row.experimentsPerDeviceMonth - DEVICE_MONTH_SECONDS / mean) < 1e-6);
      assert.ok((row.queueSeconds ?? -1) >= 0);
      assert.equal(row.turnaroundSeconds, (row.queueSeconds ?? 0) + row.runSeconds);
    }
    assert.equal(iterationVelocity(runs)[0]?.queueSeconds, undefined, 'no timestamps: no queue wait');
  });
});

describe('the decision uses the measured switch times', () => {
  it('scores maintenance from sizes and the measured swap vs checkpoint load', () => {
    const [evidence] = evidenceFromRuns('dep1234', runs);
    assert.ok(evidence?.switchSeconds);
    assert.ok(evidence.switchSeconds.lora >= 0 && evidence.switchSeconds.full > 0);
    const scores = measuredScores(evidence, {});
    assert.match(
      scores.maintenance?.basis ?? '',
      /to swap the adapter on a loaded base vs .* to load the full checkpoint/,
    );
    assert.doesNotMatch(scores.maintenance?.basis ?? '', /not measured/);
  });

  it('puts the deployment and velocity tables in the results', async () => {
    const [reply] = await resultsReply({ id: 'dep1234', state: 'completed', plan: null, runs });
    const titles = reply?.tables?.map((t) => t.title ?? '') ?? [];
    assert.ok(titles.some((t) => t.startsWith('customer_service: deployment, measured')));
    assert.ok(titles.includes('Iteration velocity, from measured run and queue times'));
  });

  it("prices everything at the requester's rates when the comparison gave them", async () => {
    const job = { id: 'dep1234', state: 'completed', plan: null, runs };
    const assumed = JSON.stringify(await resultsReply(job));
    assert.match(assumed, /assumed rates \(cost model article preset\)/);
    const given = JSON.stringify(
      await resultsReply({ ...job, request: { rates: { lora: 0.25, full: 0.5 } } }),
    );
    assert.match(given, /the requester's rates \(lora_gpu_rate, full_gpu_rate\)/);
    assert.doesNotMatch(given, /assumed rates/);
    const [evidence] = evidenceFromRuns('dep1234', runs, ratesFor({ lora: 0.25, full: 0.5 }));
    const [atAssumed] = evidenceFromRuns('dep1234', runs);
    assert.ok(evidence && atAssumed);
    assert.equal(evidence.ratesSource, "the requester's rates (lora_gpu_rate, full_gpu_rate)");
    // The same measured hours at a tenth (LoRA) and a sixteenth (full) of the assumed rates.
    assert.ok(Math.abs(evidence.computeUsd.lora * 10 - atAssumed.computeUsd.lora) < 1e-12);
    assert.ok(Math.abs(evidence.computeUsd.full * 16 - atAssumed.computeUsd.full) < 1e-12);
  });
});
