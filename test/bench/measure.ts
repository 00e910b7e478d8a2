import { performance } from 'node:perf_hooks';

export interface Sample {
  name: string;
  p50: number;
  p99: number;
  n: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

/** Times `n` sequential calls after `warmup` untimed ones; milliseconds. */
export async function timeCalls(
  name: string,
  n: number,
  call: (i: number) => Promise<unknown> | unknown,
  warmup = 20,
): Promise<Sample> {
  for (let i = 0; i < warmup; i++) await call(i);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await call(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { name, p50: percentile(times, 50), p99: percentile(times, 99), n };
}

export interface BenchRow {
  section: string;
  measure: string;
  value: string;
  baseline: string;
  ratio: string;
}

export const ms = (v: number) => (v < 0.1 ? `${(v * 1000).toFixed(1)} µs` : `${v.toFixed(2)} ms`);
export const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : '-');

export function markdownTable(rows: BenchRow[]): string {
  const header =
    '| section | measure | value | bare baseline (same run) | ratio |\n| --- | --- | --- | --- | --- |';
  return [
    header,
    ...rows.map((r) => `| ${r.section} | ${r.measure} | ${r.value} | ${r.baseline} | ${r.ratio} |`),
  ].join('\n');
}
