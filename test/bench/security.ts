import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchRow, percentile, ratio } from './measure';

interface ValidatorRow {
  file: string;
  bytes: number;
  lines: number;
  error_count: number;
  seconds: number;
  peak_rss_bytes: number;
}

interface SandboxReport {
  probe_s: number;
  rows: { outputs: string; count: number; ms_per_output: number }[];
}

const python = process.env.FACEOFF_PYTHON ?? 'python3';
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function runScript(script: string, args: string[], out: string): void {
  const run = spawnSync(python, [script, ...args, '--out', out], {
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, HF_HUB_OFFLINE: '1' },
  });
  if (run.status !== 0) throw new Error(`${script} exited with ${run.status}`);
}

/** The interpreter the sandbox runs generated code with (the system one where it exists). */
const SANDBOX_PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : python;

/** A bare start of that interpreter, the floor under any sandboxed run: milliseconds, median of `n`. */
function bareInterpreterStart(n = 15): number {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    spawnSync(SANDBOX_PYTHON, ['-I', '-S', '-c', 'pass']);
    times.push(performance.now() - start);
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

/**
 * Hostile input, bounded: the dataset validator's peak memory on 50 MB hostile files next to a
 * tiny valid file (the interpreter's own footprint), and what the code sandbox costs per evaluated
 * output next to a bare interpreter start, all in the same run.
 */
export async function benchSecurity(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-bench-security-'));
  try {
    const validatorOut = join(dir, 'validator.json');
    runScript('jobs/trainer/bench_validator.py', ['--size-mb', '50'], validatorOut);
    const files = JSON.parse(readFileSync(validatorOut, 'utf8')) as ValidatorRow[];
    const floor = files.find((f) => f.file === 'small valid file');
    const rows: BenchRow[] = files
      .filter((f) => f !== floor)
      .map((f) => ({
        section: 'security',
        measure: `dataset validator peak RSS, ${f.file} (${mb(f.bytes)}, ${f.lines} lines, ${f.error_count} problems, ${f.seconds.toFixed(1)} s; goal < 200 MB)`,
        value: mb(f.peak_rss_bytes),
        baseline: floor ? `10-line valid file ${mb(floor.peak_rss_bytes)}` : '-',
        ratio: floor ? ratio(f.peak_rss_bytes, floor.peak_rss_bytes) : '-',
      }));
    const sandboxOut = join(dir, 'sandbox.json');
    runScript('jobs/trainer/bench_sandbox.py', ['--items', '20'], sandboxOut);
    const sandbox = JSON.parse(readFileSync(sandboxOut, 'utf8')) as SandboxReport;
    const bare = bareInterpreterStart();
    for (const row of sandbox.rows) {
      rows.push({
        section: 'security',
        measure: `code sandbox, ${row.outputs} outputs: wall time per output (bwrap + 4 test cases, n=${row.count})`,
        value: `${row.ms_per_output.toFixed(1)} ms`,
        baseline: `bare ${SANDBOX_PYTHON} -I -S start, no sandbox ${bare.toFixed(1)} ms`,
        ratio: ratio(row.ms_per_output, bare),
      });
    }
    rows.push({
      section: 'security',
      measure: 'code sandbox availability probe (once per trainer process)',
      value: `${(sandbox.probe_s * 1000).toFixed(0)} ms`,
      baseline: '-',
      ratio: '-',
    });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
