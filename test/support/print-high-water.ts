/**
 * Prints the merged high-water table of a run: `node --import tsx test/support/print-high-water.ts <file>`
 * where <file> is what FACEOFF_PAYLOAD_HIGH_WATER named while the tests ran.
 */
import { readFileSync } from 'node:fs';
import { type HighWaterMark, highWaterTable, mergeMarks } from './payload-high-water';

const file = process.argv[2];
if (!file) {
  console.error('usage: print-high-water.ts <file written with FACEOFF_PAYLOAD_HIGH_WATER>');
  process.exit(2);
}
const marks = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as HighWaterMark);
console.log(highWaterTable(mergeMarks(marks)));
