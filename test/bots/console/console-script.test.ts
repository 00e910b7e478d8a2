import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { deleteRedisKeys } from '../../support/test-services';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** `npm run demo -- --script FILE` as a user runs it: a real process on a real embedded database. */
describe('console demo in script mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-console-'));
  const prefix = `faceoff-test-${randomBytes(4).toString('hex')}`;
  const env = {
    ...process.env,
    DATABASE_URL: `file:${join(dir, 'db')}`,
    REDIS_URL,
    FACEOFF_QUEUE_PREFIX: prefix,
    FACEOFF_OUT_DIR: join(dir, 'out'),
    FACEOFF_DATASET_DIR: join(dir, 'datasets'),
  };
  const run = (lines: string[] | null, extra: string[] = []) => {
    const args = ['--import', 'tsx', 'bots/console/main.ts'];
    if (lines) {
      const file = join(dir, `script-${randomBytes(3).toString('hex')}.txt`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      args.push('--script', file);
    }
    return spawnSync(process.execPath, [...args, ...extra], { env, encoding: 'utf8', timeout: 180_000 });
  };
  after(async () => {
    await deleteRedisKeys(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints help, the computed cost analysis, the task profiles and specific errors; exits 0', () => {
    const out = run([
      '# comments are skipped',
      '/faceoff help',
      '/faceoff cost preset=article',
      '/faceoff tasks',
      '/faceoff frobnicate',
      '/faceoff cost months=13 storage_rate=cheap',
      'hello there',
    ]);
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /you> \/faceoff help\nbot> Faceoff: LoRA or full fine-tuning/);
    assert.match(
      out.stdout,
      /First-year total \(training \+ 12 months\)\s+\$75,236\.00\s+\$20,263\.12\s+\$54,972\.88/,
    );
    assert.match(out.stdout, /Training savings with LoRA: \$4,714\.00 \(60\.1% of full FT\)/);
    assert.match(out.stdout, /\$\/GB-hour/);
    assert.match(
      out.stdout,
      /creative_writing\s+High\s+Low\s+Very High\s+Full fine-tuning\s+64 \/ 128 \/ 0\.1/,
    );
    assert.match(out.stdout, /Unknown subcommand "frobnicate"/);
    assert.match(out.stdout, /months: 13 is out of range; expected a number from 0 to 12/);
    assert.match(out.stdout, /storage_rate: "cheap" is not a number/);
    assert.match(out.stdout, /no questionnaire is running; type \/faceoff help/);
  });

  it('resumes a questionnaire in a new process with the same database and reaches a recommendation', () => {
    const first = run(['/faceoff decide', 'restart', 'about $5k', '10 days', 'yes', 'whenever', 'nope']);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /couldn't use that answer: "whenever" is not yes, no or not sure/);
    assert.match(first.stdout, /Question 5 of 9/);
    const second = run([
      '/faceoff decide',
      'yes',
      '3',
      'weekly',
      'customer support bot',
      'just me',
      '7B',
      'no',
    ]);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /Picking up where you left off \(question 5 of 9\)/);
    assert.match(second.stdout, /Recommendation: LoRA/);
    assert.match(second.stdout, /Weighted scores/);
    assert.match(second.stdout, /Your 3-week plan/);
  });

  it('the committed decide scripts: one message for the whole project, corrections, why and what if', () => {
    const scripts = ['decide-in-one-message', 'decide-corrections', 'decide-why-and-what-if'].map((name) =>
      readFileSync(join('bots/console/scripts', `${name}.txt`), 'utf8')
        .split('\n')
        .filter((line) => line.trim() && !line.startsWith('#')),
    );
    const out = run(scripts.flat());
    assert.equal(out.status, 0, out.stderr);
    assert.match(
      out.stdout,
      /bot> From your message:\n\s+- Model: 7B\n\s+- Budget: \$5,000\n\s+- Updates: Every month\n\s+- Timeline: 2 weeks/,
    );
    assert.match(out.stdout, /Question 3 of 10: Is about 95%/, 'only the rest is asked');
    assert.match(out.stdout, /Why LoRA: no reason of quality points to full fine-tuning/);
    assert.match(
      out.stdout,
      /By "no budget", do you mean no money is set aside, or no fixed limit\?\n\s+1\) No money set aside \(\$0\) {3}2\) No fixed limit/,
    );
    assert.match(
      out.stdout,
      /Mixtral comes in several sizes: which one\?\n\s+1\) Mixtral 8x7B: about 46\.7B in total, 12\.9B active/,
    );
    assert.match(out.stdout, /- Budget: \$2,000 \(was \$0\)/);
    assert.match(out.stdout, /The recommendation changes: LoRA -> Hybrid\./);
    assert.match(out.stdout, /The recommendation flips: LoRA -> Hybrid/);
    assert.match(out.stdout, /The recommendation stays LoRA/);
  });

  it('/upload registers a local JSONL file and says why a missing one was not', () => {
    const data = join(dir, 'tickets.jsonl');
    writeFileSync(
      data,
      Array.from({ length: 12 }, (_, i) => `{"prompt":"ticket ${i}","completion":"answer ${i}"}`).join('\n'),
    );
    const out = run([`/upload ${data}`, `/upload ${join(dir, 'gone.jsonl')}`]);
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /Registered ds-\w+ from tickets\.jsonl: 12 lines/);
    assert.match(out.stdout, /gone\.jsonl was not registered: cannot read .*gone\.jsonl \(ENOENT\)/);
  });

  it('fails with the reason when the script cannot be read', () => {
    const out = run(null, ['--script', join(dir, 'missing.txt')]);
    assert.notEqual(out.status, 0);
    assert.match(out.stderr, /cannot read script .*missing\.txt: ENOENT/);
  });
});
