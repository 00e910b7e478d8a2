import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeCombination } from '../../src/analysis/combination';
import { analyzeScaling } from '../../src/analysis/scaling';
import { chartThreads, createPooledReplyCharts, type PooledReplyCharts } from '../../src/charts/chart-pool';
import { createReplyCharts } from '../../src/charts/reply-charts';
import type { ImageAttachment } from '../../src/chat/replies';
import { compareCosts } from '../../src/cost/cost-model';
import { ARTICLE_COST_INPUTS } from '../../src/cost/inputs';
import { decide } from '../../src/decision/recommendation';
import { loadCombineRuns } from '../fixtures/combine-runs/load';
import { loadFixtureRuns } from '../fixtures/runs/load';
import { matchGolden } from './pixel-compare';

const verdict = decide({
  performance: { value: 'no', label: 'no' },
  behaviour: { value: 'yes', label: 'yes' },
  variants: { value: 'yes', label: 'yes' },
});
const cost = compareCosts({ ...ARTICLE_COST_INPUTS, full_gpu_hours: 40, lora_gpu_hours: 4, months: 6 });
const basis = ['Cost model, preset article with overrides: computed from assumptions, not measured'];
const scaling = analyzeScaling(
  ['tiny-l', 'tiny', 'tiny-s'].map((model) => ({
    model,
    runs: loadFixtureRuns(() => true, new URL(`../fixtures/scaling-runs/${model}/`, import.meta.url)),
  })),
);
const combination = analyzeCombination(loadCombineRuns(), ['tone', 'knowledge', 'troubleshooting']);

const inline = createReplyCharts();

function assertSameImages(pooled: ImageAttachment[], drawn: ImageAttachment[]): void {
  assert.deepEqual(
    pooled.map((i) => [i.filename, i.title, i.altText]),
    drawn.map((i) => [i.filename, i.title, i.altText]),
  );
  for (const [i, image] of pooled.entries()) {
    assert.ok(image.png instanceof Uint8Array);
    assert.ok(
      Buffer.from(image.png).equals(Buffer.from(drawn[i]?.png ?? [])),
      `${image.filename}: the pool's PNG differs from the inline one`,
    );
  }
}

describe('charts drawn on worker threads', () => {
  let pool: PooledReplyCharts;
  const logs: string[] = [];
  before(() => {
    pool = createPooledReplyCharts({ threads: 2, log: (m) => logs.push(m) });
  });
  after(() => pool.close());

  it('sizes the pool to the cores, less one for the event loop, at least one', () => {
    assert.equal(chartThreads(1), 1);
    assert.equal(chartThreads(2), 1);
    assert.equal(chartThreads(16), 15);
    assert.ok(chartThreads() >= 1);
    assert.equal(pool.threads, 2);
  });

  it('draws the same PNG bytes as the inline renderer, for every chart family', async () => {
    assertSameImages([await pool.decision(verdict)], [await inline.decision(verdict)]);
    assertSameImages([await pool.cost(cost, basis)], [await inline.cost(cost, basis)]);
    const input = { jobId: 'job-1', runs: loadFixtureRuns() };
    assertSameImages(await pool.comparison(input), await inline.comparison(input));
    assertSameImages(await pool.scaling(scaling), await inline.scaling(scaling));
    assert.ok(combination);
    assertSameImages(await pool.combination(combination), await inline.combination(combination));
    assert.deepEqual(logs, []);
  });

  it('draws charts that match their golden images', async () => {
    const image = await pool.cost(cost, basis);
    const diff = await matchGolden(image.png, fileURLToPath(new URL('./golden/cost.png', import.meta.url)));
    assert.ok(!diff || diff.changedShare <= 0.005);
  });

  it('keeps the event loop free while charts render', async () => {
    const draw = (charts: typeof inline) =>
      Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? charts.decision(verdict) : charts.cost(cost, basis))),
      );
    // Warm both (canvases, fonts, the workers' module load) before measuring.
    await draw(inline);
    await draw(pool);
    // The event loop's busy time (not waiting for I/O) while 8 charts render. Unlike timer delays it
    // does not grow when other processes take the cores, so it holds on a loaded 2-core machine.
    // The least of 3 rounds: a garbage collection or another process's burst only ever adds busy
    // time, so the least is each side's own cost.
    const busyMs = async (charts: typeof inline) => {
      let least = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 3; round++) {
        const start = performance.eventLoopUtilization();
        await draw(charts);
        least = Math.min(least, performance.eventLoopUtilization(start).active);
      }
      return least;
    };
    const inlineBusy = await busyMs(inline);
    const poolBusy = await busyMs(pool);
    // Inline, each render holds the event loop for its whole draw (tens of ms); pooled, only the
    // structured-clone copies of the inputs and PNGs do.
    assert.ok(
      poolBusy < inlineBusy / 4,
      `event loop busy while 8 charts render: pool ${poolBusy.toFixed(1)} ms, inline ${inlineBusy.toFixed(1)} ms`,
    );
  });

  it('draws inline after close', async () => {
    const closing = createPooledReplyCharts({ threads: 1 });
    await closing.close();
    assertSameImages([await closing.decision(verdict)], [await inline.decision(verdict)]);
  });
});

describe('a chart pool whose workers cannot start', () => {
  it('draws every chart inline and says so once the workers are gone', async () => {
    const logs: string[] = [];
    const broken = createPooledReplyCharts({
      threads: 1,
      workerUrl: new URL('./no-such-worker.mjs', import.meta.url).href,
      log: (m) => logs.push(m),
    });
    try {
      const images = await Promise.all([1, 2, 3].map(() => broken.decision(verdict)));
      const expected = await inline.decision(verdict);
      assertSameImages(images, [expected, expected, expected]);
      assertSameImages([await broken.decision(verdict)], [expected]);
      assert.ok(
        logs.some((m) => /chart workers could not start \(.*no-such-worker/.test(m)),
        logs.join('\n'),
      );
    } finally {
      await broken.close();
    }
  });
});
