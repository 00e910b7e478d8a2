import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ChartConfiguration } from 'chart.js';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import { analyzeComparison } from '../../src/analysis/comparison-analysis';
import { createPooledReplyCharts } from '../../src/charts/chart-pool';
import type { ChartSpec } from '../../src/charts/chart-spec';
import { comparisonChartSpecs } from '../../src/charts/comparison-charts';
import { costChart } from '../../src/charts/configs/cost';
import { decisionChart } from '../../src/charts/configs/decision';
import { ChartRenderer, cloneConfig, registerChartFonts } from '../../src/charts/renderer';
import { createReplyCharts, type ReplyCharts } from '../../src/charts/reply-charts';
import { compareCosts } from '../../src/cost/cost-model';
import { ARTICLE_COST_INPUTS } from '../../src/cost/inputs';
import { decide } from '../../src/decision/recommendation';
import { loadFixtureRuns } from '../fixtures/runs/load';
import { type BenchRow, ms, percentile, ratio } from './measure';

const RENDERS_FOR_MEMORY = 1000;
const RENDER_SAMPLES = 40;
const CHARTS_AT_ONCE = 8;
const LOOP_ROUNDS = 7;

/** Times two calls alternately (after a warm-up), so machine load falls on both alike; milliseconds. */
async function interleaved(ours: () => Promise<unknown>, bare: () => Promise<unknown>, n: number) {
  for (let i = 0; i < 5; i++) {
    await bare();
    await ours();
  }
  const times = { ours: [] as number[], bare: [] as number[] };
  for (let i = 0; i < n; i++) {
    for (const [name, call] of i % 2
      ? ([
          ['bare', bare],
          ['ours', ours],
        ] as const)
      : ([
          ['ours', ours],
          ['bare', bare],
        ] as const)) {
      const start = performance.now();
      await call();
      times[name].push(performance.now() - start);
    }
  }
  const stats = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  };
  return { ours: stats(times.ours), baseline: stats(times.bare) };
}
const MB = 1024 * 1024;

/** A garbage collection on demand (the bench runs without --expose-gc). */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function benchSpecs(): ChartSpec[] {
  const analysis = analyzeComparison(loadFixtureRuns());
  return [
    ...comparisonChartSpecs(analysis),
    decisionChart(decide({})),
    costChart(compareCosts({ ...ARTICLE_COST_INPUTS, full_gpu_hours: 40, lora_gpu_hours: 4 }), {
      basis: ['Cost model'],
    }),
  ];
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/**
 * The event loop while 8 charts (cost and decision, alternating) render at once: its busy time
 * (event-loop utilisation's active time, which other processes' load does not inflate) and its
 * longest stall (timer delay), drawn inline vs on the worker pool; rounds alternate, medians shown.
 */
async function benchEventLoop(): Promise<BenchRow[]> {
  const verdict = decide({});
  const cost = compareCosts({ ...ARTICLE_COST_INPUTS, full_gpu_hours: 40, lora_gpu_hours: 4 });
  const draw = (charts: ReplyCharts) =>
    Promise.all(
      Array.from({ length: CHARTS_AT_ONCE }, (_, i) =>
        i % 2 ? charts.decision(verdict) : charts.cost(cost, ['Cost model']),
      ),
    );
  const inline = createReplyCharts(new ChartRenderer());
  const pool = createPooledReplyCharts();
  try {
    await draw(inline);
    await draw(pool);
    const measured = {
      inline: { busy: [] as number[], stall: [] as number[] },
      pool: { busy: [] as number[], stall: [] as number[] },
    };
    for (let round = 0; round < LOOP_ROUNDS; round++) {
      for (const [name, charts] of [
        ['inline', inline],
        ['pool', pool],
      ] as const) {
        const delay = monitorEventLoopDelay({ resolution: 1 });
        delay.enable();
        const start = performance.eventLoopUtilization();
        await draw(charts);
        measured[name].busy.push(performance.eventLoopUtilization(start).active);
        delay.disable();
        measured[name].stall.push(delay.max / 1e6);
      }
    }
    const threads = `${pool.threads} worker thread${pool.threads === 1 ? '' : 's'}`;
    const rows: BenchRow[] = [];
    for (const [what, key] of [
      ['event-loop busy time', 'busy'],
      ['longest event-loop stall', 'stall'],
    ] as const) {
      const ours = median(measured.pool[key]);
      const bare = median(measured.inline[key]);
      rows.push({
        section: 'charts',
        measure: `${what} while ${CHARTS_AT_ONCE} charts render at once, on the pool (${threads}; median of ${LOOP_ROUNDS})`,
        value: ms(ours),
        baseline: `drawn inline on the event loop ${ms(bare)}`,
        ratio: ratio(ours, bare),
      });
    }
    return rows;
  } finally {
    await pool.close();
  }
}

/**
 * Render time per chart (Faceoff's renderer vs bare chartjs-node-canvas on the same config in the
 * same run), then process memory before and after 1,000 renders.
 */
export async function benchCharts(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const specs = benchSpecs();
  const renderer = new ChartRenderer();
  registerChartFonts();
  const bare = new Map<string, ChartJSNodeCanvas>();
  const bareFor = (spec: ChartSpec) => {
    const key = `${spec.size.width}x${spec.size.height}`;
    if (!bare.has(key)) bare.set(key, new ChartJSNodeCanvas({ ...spec.size, backgroundColour: 'white' }));
    return bare.get(key) as ChartJSNodeCanvas;
  };
  for (const spec of specs) {
    // The same deep copy the renderer makes, so the bare baseline also gets a fresh config per call.
    const config = () => cloneConfig(spec.config) as ChartConfiguration as never;
    const bareCall = () => bareFor(spec).renderToBuffer(config());
    const oursCall = () => renderer.render(spec);
    const { ours, baseline } = await interleaved(oursCall, bareCall, RENDER_SAMPLES);
    rows.push({
      section: 'charts',
      measure: `render ${spec.filename} ${spec.size.width}x${spec.size.height} (p50 / p99)`,
      value: `${ms(ours.p50)} / ${ms(ours.p99)}`,
      baseline: `bare chartjs-node-canvas ${ms(baseline.p50)}`,
      ratio: ratio(ours.p50, baseline.p50),
    });
  }
  const gc = collector();
  const sample = () => {
    gc();
    gc();
    const usage = process.memoryUsage();
    return { rss: usage.rss / MB, heap: usage.heapUsed / MB };
  };
  const before = sample();
  const half = RENDERS_FOR_MEMORY / 2;
  for (let i = 0; i < half; i++) await renderer.render(specs[i % specs.length] as ChartSpec);
  const middle = sample();
  for (let i = half; i < RENDERS_FOR_MEMORY; i++) await renderer.render(specs[i % specs.length] as ChartSpec);
  const after = sample();
  const mb = (v: number) => `${v.toFixed(1)} MB`;
  const delta = (a: number, b: number) => `${b - a >= 0 ? '+' : ''}${(b - a).toFixed(1)} MB`;
  rows.push({
    section: 'charts',
    measure: `RSS after ${RENDERS_FOR_MEMORY} renders (growth in renders 1-${half} / ${half + 1}-${RENDERS_FOR_MEMORY})`,
    value: `${mb(after.rss)} (${delta(before.rss, middle.rss)} / ${delta(middle.rss, after.rss)})`,
    baseline: `before ${mb(before.rss)}`,
    ratio: ratio(after.rss, before.rss),
  });
  rows.push({
    section: 'charts',
    measure: `heap used after ${RENDERS_FOR_MEMORY} renders (growth in renders 1-${half} / ${half + 1}-${RENDERS_FOR_MEMORY})`,
    value: `${mb(after.heap)} (${delta(before.heap, middle.heap)} / ${delta(middle.heap, after.heap)})`,
    baseline: `before ${mb(before.heap)}`,
    ratio: ratio(after.heap, before.heap),
  });
  rows.push({
    section: 'charts',
    measure: 'canvas instances held by the renderer (one per image size)',
    value: `${renderer.sizes.length} (${renderer.sizes.join(', ')})`,
    baseline: `${new Set(specs.map((s) => `${s.size.width}x${s.size.height}`)).size} sizes in use`,
    ratio: '-',
  });
  rows.push(...(await benchEventLoop()));
  return rows;
}
