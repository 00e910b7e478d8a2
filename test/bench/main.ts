/**
 * `npm run bench`: each section measures Faceoff next to a bare baseline in the same run and
 * returns table rows; the table is printed and written to test/bench/results.md.
 * `npm run bench -- core jobs` runs only the named sections; slack-2000 and discord-2000 (2,000
 * commands at once) take about one and two minutes, slack-pg (200 and 2,000 on PostgreSQL) about two.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { benchCharts } from './charts';
import { benchChatLoad } from './chat-load';
import { benchCore } from './core';
import { benchDiscord, benchDiscord2000, benchDiscordPostgres } from './discord';
import { benchJobs, benchJobsPostgres } from './jobs';
import { type BenchRow, markdownTable } from './measure';
import { benchOperations } from './operations';
import { benchSecurity } from './security';
import { benchSlack, benchSlack2000, benchSlackPostgres } from './slack';
import { benchTrainer } from './trainer';

const SECTIONS: Record<string, () => Promise<BenchRow[]>> = {
  core: benchCore,
  jobs: () => benchJobs(),
  'jobs-pg': benchJobsPostgres,
  slack: benchSlack,
  'slack-2000': benchSlack2000,
  'slack-pg': benchSlackPostgres,
  discord: () => benchDiscord(),
  'discord-2000': benchDiscord2000,
  'discord-pg': benchDiscordPostgres,
  'chat-load': benchChatLoad,
  charts: benchCharts,
  trainer: benchTrainer,
  security: benchSecurity,
  ops: benchOperations,
};

/** Rows of the last results file whose sections this run does not measure again. */
function previousRows(text: string, running: string[]): BenchRow[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| section') && !line.startsWith('| ---'))
    .map((line) => line.slice(2, -2).split(' | '))
    .filter((cells) => cells.length === 5 && !running.includes(cells[0] ?? ''))
    .map(([section, measure, value, baseline, ratio]) => ({
      section: section ?? '',
      measure: measure ?? '',
      value: value ?? '',
      baseline: baseline ?? '',
      ratio: ratio ?? '',
    }));
}

/** The "when they last ran" lines of sections this run does not measure again. */
function previousRuns(text: string, running: string[]): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('- ') && / run \d{4}-/.test(line))
    .map((line) => {
      const sections = line.slice(2, line.indexOf(' run ')).split(', ');
      const left = sections.filter((s) => !running.includes(s));
      return left.length ? `- ${left.join(', ')}${line.slice(line.indexOf(' run '))}` : '';
    })
    .filter(Boolean);
}

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
  console.log(markdownTable(rows));
  const file = new URL('./results.md', import.meta.url);
  const kept = existsSync(file) ? previousRows(readFileSync(file, 'utf8'), names) : [];
  const run = `${names.join(', ')} run ${new Date().toISOString()} on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}; load average at the end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')}`;
  const history = existsSync(file) ? previousRuns(readFileSync(file, 'utf8'), names) : [];
  const header = `# Benchmarks\n\nThese machines are shared: compare ratios, not absolute times. Sections and when they last ran:\n${[...history, `- ${run}`].join('\n')}\n\n`;
  const ordered = [...kept, ...rows].sort(
    (a, b) => Object.keys(SECTIONS).indexOf(a.section) - Object.keys(SECTIONS).indexOf(b.section),
  );
  writeFileSync(file, `${header}${markdownTable(ordered)}\n`);
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(`bench: ${e.message}`);
    process.exit(1);
  },
);
