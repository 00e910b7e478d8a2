/**
 * `npm run bench`: each section measures Faceoff next to a bare baseline in the same run and
 * returns table rows; the table is printed and written to test/bench/results.md.
 * `npm run bench -- core jobs` runs only the named sections.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { benchCharts } from './charts';
import { benchCore } from './core';
import { benchDiscord } from './discord';
import { benchJobs } from './jobs';
import { type BenchRow, markdownTable } from './measure';
import { benchOperations } from './operations';
import { benchSecurity } from './security';
import { benchSlack } from './slack';
import { benchTrainer } from './trainer';

const SECTIONS: Record<string, () => Promise<BenchRow[]>> = {
  core: benchCore,
  jobs: benchJobs,
  slack: benchSlack,
  discord: benchDiscord,
  charts: benchCharts,
  trainer: benchTrainer,
  security: benchSecurity,
  ops: benchOperations,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = wanted.length ? wanted : Object.keys(SECTIONS);
  const rows: BenchRow[] = [];
  for (const name of names) {
    const section = SECTIONS[name];
    if (!section)
      throw new Error(`unknown bench section "${name}" (known: ${Object.keys(SECTIONS).join(', ')})`);
    console.error(`bench: ${name}...`);
    rows.push(...(await section()));
  }
  const table = markdownTable(rows);
  const header = `# Benchmarks\n\nRun ${new Date().toISOString()} on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}; load average at the end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')} (these machines are shared: compare ratios, not absolute times).\n\n`;
  console.log(table);
  writeFileSync(new URL('./results.md', import.meta.url), `${header}${table}\n`);
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(`bench: ${e.message}`);
    process.exit(1);
  },
);
