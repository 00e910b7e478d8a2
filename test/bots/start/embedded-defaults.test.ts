/**
 * `npm start` with nothing but Discord's two variables: no REDIS_URL, no DATABASE_URL. It must start
 * on the embedded database and a private Redis, say so in one line, and answer `/faceoff cost`
 * through the real discord.js client (against the local Discord stand-in).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { slash, textOf } from '../discord/discord-calls';
import { TOKEN } from '../discord/discord-stack';
import { FakeDiscord } from '../discord/fake-discord';
import { IDS } from '../discord/payloads';

describe('npm start on embedded defaults', () => {
  let fake: FakeDiscord;
  let child: ChildProcess;
  let output = '';
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-start-'));

  before(async () => {
    fake = await FakeDiscord.start();
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      HF_HUB_OFFLINE: '1',
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: IDS.bot,
      DISCORD_API_URL: fake.apiUrl,
      DATABASE_URL: `file:${join(dir, 'pglite')}`,
      FACEOFF_REDIS_DIR: join(dir, 'redis'),
      FACEOFF_ARTIFACT_DIR: join(dir, 'artifacts'),
      FACEOFF_DATASET_DIR: join(dir, 'datasets'),
    };
    child = spawn(process.execPath, ['--import', 'tsx', 'bots/main.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => (output += String(d)));
    child.stderr?.on('data', (d) => (output += String(d)));
    const deadline = Date.now() + 90_000;
    while (!/discord connected/.test(output)) {
      if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm start did not connect:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says in one line that it started a private Redis, and how to use a shared one', () => {
    const lines = output.split('\n').filter((l) => /private Redis/.test(l));
    assert.equal(lines.length, 1, output);
    assert.match(
      lines[0] ?? '',
      /REDIS_URL is not set: .*keeping the queue in .*redis.*set REDIS_URL=redis:\/\/host:6379/,
    );
  });

  it('answers /faceoff cost', async () => {
    const answer = await slash(fake, 'cost', []);
    assert.match(textOf(answer.answer), /Cost model/);
  });
});
