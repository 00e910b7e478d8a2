/**
 * The largest value of each kind the platform stand-ins saw (a section's text, a message's blocks,
 * an embed's total characters) with the limit it was checked against. With
 * FACEOFF_PAYLOAD_HIGH_WATER=<file> set, each test process appends its figures to that file as JSON
 * lines when it exits; `print-high-water.ts <file>` merges them into one table.
 */
import { appendFileSync } from 'node:fs';
import { basename } from 'node:path';

export type Platform = 'slack' | 'discord';

export interface HighWaterMark {
  platform: Platform;
  kind: string;
  /** The largest value seen (characters, items or bytes, as the kind says). */
  max: number;
  limit: number;
  /** Where the largest value was seen: the API call and the payload path. */
  where: string;
  /** The test file that sent it. */
  file: string;
}

const testFile = basename(process.argv.find((a) => a.endsWith('.test.ts')) ?? process.argv[1] ?? '');

const marks = new Map<string, HighWaterMark>();
let hooked = false;
let recording = true;

/** For the stand-ins' own tests: their hand-made oversized payloads are not the product's. */
export function stopRecordingPayloads(): void {
  recording = false;
}

function hookExit(): void {
  const file = process.env.FACEOFF_PAYLOAD_HIGH_WATER;
  if (hooked || !file) return;
  hooked = true;
  process.on('exit', () => {
    const lines = [...marks.values()].map((m) => JSON.stringify(m));
    if (lines.length) appendFileSync(file, `${lines.join('\n')}\n`);
  });
}

/** Notes one measured value; keeps it when it is the largest of its kind so far. */
export function recordPayload(platform: Platform, kind: string, value: number, limit: number, where: string) {
  if (!recording) return;
  hookExit();
  const key = `${platform}\t${kind}`;
  const known = marks.get(key);
  if (!known || value > known.max)
    marks.set(key, { platform, kind, max: value, limit, where, file: testFile });
}

/** The marks this process has seen so far, by platform then kind. */
export function highWaterMarks(): HighWaterMark[] {
  return [...marks.values()].sort((a, b) => `${a.platform}${a.kind}`.localeCompare(`${b.platform}${b.kind}`));
}

/** Merges marks from several processes: the largest of each kind wins. */
export function mergeMarks(all: HighWaterMark[]): HighWaterMark[] {
  const merged = new Map<string, HighWaterMark>();
  for (const m of all) {
    const key = `${m.platform}\t${m.kind}`;
    const known = merged.get(key);
    if (!known || m.max > known.max) merged.set(key, m);
  }
  return [...merged.values()].sort((a, b) =>
    `${a.platform}${a.kind}`.localeCompare(`${b.platform}${b.kind}`),
  );
}

/** The marks as a Markdown table: platform, kind, largest seen, limit, share of the limit, where, test file. */
export function highWaterTable(marks: HighWaterMark[]): string {
  const rows = marks.map(
    (m) =>
      `| ${m.platform} | ${m.kind} | ${m.max} | ${m.limit} | ${((100 * m.max) / m.limit).toFixed(0)}% | ${m.where} | ${m.file} |`,
  );
  return [
    '| platform | kind | largest seen | limit | of limit | where | test file |',
    '|---|---|---:|---:|---:|---|---|',
    ...rows,
  ].join('\n');
}
