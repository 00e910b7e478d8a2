import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { shardOptions } from '../../../bots/discord/client';
import { MAX_DISCORD_SHARDS, parseDiscordShards, readDiscordConfig } from '../../../bots/discord/config';
import { discordRunners, startDiscord } from '../../../bots/discord/runner';
import { startCoreApp } from '../../support/core-app';
import { isEphemeral, isOriginal, textOf } from './discord-calls';
import { type DiscordStack, startDiscordStack, TOKEN } from './discord-stack';
import { FakeDiscord, type FakeDiscordOptions, shardOf } from './fake-discord';
import { fixture, IDS, slashCommand } from './payloads';

type Json = Record<string, unknown>;

const APP = '1100000000000000100';
const base = { DISCORD_TOKEN: 'secret', DISCORD_APPLICATION_ID: APP };

/** A second server, on the other of two shards than the test server (bit 22 of its id differs). */
const OTHER = {
  guild: String(BigInt(IDS.guild) + (1n << 22n)),
  channel: '1100000000000000510',
  noticesChannel: '1100000000000000511',
  thread: '1100000000000000530',
};

/** The test server's recorded payload, moved to another server with its own channels. */
function moved<T>(payload: T): T {
  const text = JSON.stringify(payload)
    .replaceAll(`"${IDS.guild}"`, `"${OTHER.guild}"`)
    .replaceAll(`"${IDS.channel}"`, `"${OTHER.channel}"`)
    .replaceAll(`"${IDS.noticesChannel}"`, `"${OTHER.noticesChannel}"`)
    .replaceAll(`"${IDS.thread}"`, `"${OTHER.thread}"`);
  return JSON.parse(text) as T;
}

/** `/faceoff help` in the server of `payload` (the test server, or moved), waiting for its private answer. */
async function helpIn(fake: FakeDiscord, other: boolean): Promise<string> {
  const from = fake.calls.length;
  const command = slashCommand('help');
  const payload = other ? moved(command) : command;
  const { token } = fake.interact(payload);
  const answer = await fake.waitForCall((c) => isOriginal(token)(c) || isEphemeral(token)(c), from, 20_000);
  return textOf(answer);
}

describe('FACEOFF_DISCORD_SHARDS', () => {
  it('reads a count, auto, or shard ids of a total', () => {
    const shards = (value: string) => {
      const config = readDiscordConfig({ ...base, FACEOFF_DISCORD_SHARDS: value });
      return config.ok ? config.value?.shards : config.error;
    };
    assert.deepEqual(shards('2'), { ids: [0, 1], count: 2 });
    assert.deepEqual(shards(' 1 '), { ids: [0], count: 1 });
    assert.equal(shards('auto'), 'auto');
    assert.equal(shards('AUTO'), 'auto');
    assert.deepEqual(shards('0,1/4'), { ids: [0, 1], count: 4 });
    assert.deepEqual(shards('2-3/4'), { ids: [2, 3], count: 4 });
    assert.deepEqual(shards('5, 0-2 / 8'), { ids: [0, 1, 2, 5], count: 8 });
    assert.deepEqual(shards('3/4'), { ids: [3], count: 4 });
    const plain = readDiscordConfig(base);
    assert.ok(plain.ok && plain.value && !('shards' in plain.value));
    assert.ok(readDiscordConfig({ ...base, FACEOFF_DISCORD_SHARDS: '' }).ok, 'empty is unset');
  });

  it('anything else is refused, naming the variable and what it accepts', () => {
    const cases: [string, RegExp][] = [
      ['0', /is not a shard count from 1 to/],
      ['-1', /is not a shard count/],
      ['two', /is not a shard count/],
      ['1.5', /is not a shard count/],
      ['1e3', /is not a shard count/],
      [String(MAX_DISCORD_SHARDS + 1), /is not a shard count from 1 to 100000/],
      ['automatic', /is not a shard count/],
      ['0,1', /is not a shard count/],
      ['0/0', /does not end in a shard total/],
      ['0/', /does not end in a shard total/],
      ['0/4/8', /more than one "\/"/],
      ['4/4', /names shard 4, but shard ids of 4 go from 0 to 3/],
      ['0-4/4', /names shard 4/],
      ['0,0/4', /names shard 0 twice/],
      ['0-2,1/4', /names shard 1 twice/],
      ['2-1/4', /names "2-1", which is not a shard id or a range/],
      ['/4', /names "", which is not a shard id/],
      ['0,,1/4', /names "", which is not a shard id/],
      ['a/4', /names "a"/],
    ];
    for (const [value, why] of cases) {
      const parsed = parseDiscordShards(value);
      assert.ok(!parsed.ok, value);
      assert.match(parsed.error, /^FACEOFF_DISCORD_SHARDS: ".*" /, value);
      assert.match(parsed.error, why, value);
      assert.match(parsed.error, /expected a shard count .*"auto" .* shard ids of a total \("0,1\/4"/, value);
    }
    assert.throws(
      () => discordRunners({ ...base, FACEOFF_DISCORD_SHARDS: 'lots' }),
      /FACEOFF_DISCORD_SHARDS: "lots" is not a shard count/,
    );
  });

  it('becomes discord.js internal sharding: the listed shards of the total in this process', () => {
    assert.deepEqual(shardOptions(undefined), { shards: [0], shardCount: 1 });
    assert.deepEqual(shardOptions('auto'), { shards: 'auto' });
    assert.deepEqual(shardOptions({ ids: [0, 1], count: 4 }), { shards: [0, 1], shardCount: 4 });
  });

  it('the test servers sit on different shards of two, as Discord routes them', () => {
    assert.equal(shardOf(IDS.guild, 2), 1);
    assert.equal(shardOf(OTHER.guild, 2), 0);
    assert.equal(shardOf(IDS.guild, 1), 0);
  });
});

/** Both servers, each on its own shard of two. */
const guilds = () => [fixture<Json>('guild-create'), moved(fixture<Json>('guild-create'))];

describe('two shards in one process against a sharding gateway', () => {
  let s: DiscordStack;
  before(async () => {
    s = await startDiscordStack({
      shards: { ids: [0, 1], count: 2 },
      guilds: guilds(),
      fake: { maxConcurrency: 2 },
    });
  });
  after(async () => {
    await s?.close();
  });

  it('both shards identify, each gets its own server, and a command in each server is answered', async () => {
    assert.deepEqual(
      [...s.fake.identified].sort((a, b) => a[0] - b[0]),
      [
        [0, 2],
        [1, 2],
      ],
    );
    assert.deepEqual([...s.discord.client.ws.shards.keys()].sort(), [0, 1]);
    assert.equal(s.discord.client.guilds.cache.get(IDS.guild)?.shardId, 1);
    assert.equal(s.discord.client.guilds.cache.get(OTHER.guild)?.shardId, 0);
    assert.match(await helpIn(s.fake, false), /\/faceoff decide/);
    assert.match(await helpIn(s.fake, true), /\/faceoff decide/);
    assert.ok(s.logs.includes('discord: ready on shards 0, 1 of 2'), s.logs.join('\n'));
  });

  it('a dropped connection resumes each shard in its own session', async () => {
    const identified = s.fake.identified.length;
    s.fake.dropConnections();
    const answers = await Promise.all([helpIn(s.fake, false), helpIn(s.fake, true)]);
    for (const answer of answers) assert.match(answer, /\/faceoff decide/);
    assert.equal(s.fake.identified.length, identified, 'resumed, not identified again');
    assert.equal(s.fake.received.filter((f) => f.op === 6).length, 2);
  });
});

describe('FACEOFF_DISCORD_SHARDS=auto', () => {
  let s: DiscordStack;
  before(async () => {
    s = await startDiscordStack({
      shards: 'auto',
      guilds: guilds(),
      fake: { recommendedShards: 2, maxConcurrency: 2 },
    });
  });
  after(async () => {
    await s?.close();
  });

  it('runs the count /gateway/bot recommends and answers in servers on either shard', async () => {
    assert.ok(s.fake.calls.some((c) => c.method === 'GET' && c.path === '/gateway/bot'));
    assert.deepEqual(
      [...s.fake.identified].sort((a, b) => a[0] - b[0]),
      [
        [0, 2],
        [1, 2],
      ],
    );
    assert.equal(s.discord.client.options.shardCount, 2);
    assert.match(await helpIn(s.fake, true), /\/faceoff decide/);
    assert.match(await helpIn(s.fake, false), /\/faceoff decide/);
  });
});

describe('one of two shards in this process (FACEOFF_DISCORD_SHARDS=1/2)', () => {
  let s: DiscordStack;
  before(async () => {
    s = await startDiscordStack({ shards: { ids: [1], count: 2 }, guilds: guilds() });
  });
  after(async () => {
    await s?.close();
  });

  it('identifies as shard 1 of 2 and sees only the servers of that shard', async () => {
    assert.deepEqual(s.fake.identified, [[1, 2]]);
    assert.ok(s.discord.client.guilds.cache.has(IDS.guild));
    assert.ok(!s.discord.client.guilds.cache.has(OTHER.guild), "shard 0's server is another process's");
    assert.match(await helpIn(s.fake, false), /\/faceoff decide/);
    assert.ok(s.logs.includes('discord: ready on shard 1 of 2'), s.logs.join('\n'));
  });
});

describe('waiting for every shard', () => {
  /** Starts the client on `count` shards against a gateway set up with `options`, the core app behind it. */
  async function login(count: number, readyTimeoutMs: number, options: FakeDiscordOptions) {
    const fake = await FakeDiscord.start(guilds(), options);
    const app = await startCoreApp();
    const logs: string[] = [];
    const config = {
      token: TOKEN,
      applicationId: IDS.bot,
      apiUrl: fake.apiUrl,
      dispatchRoleIds: [],
      shards: { ids: Array.from({ length: count }, (_, i) => i), count },
    };
    const started = performance.now();
    const running = await startDiscord(app, config, {
      restRetries: 0,
      log: (m) => logs.push(m),
      readyTimeoutMs,
    }).catch((e: Error) => e);
    const seconds = (performance.now() - started) / 1000;
    const close = async () => {
      if (!(running instanceof Error)) await running.stop();
      await app.close();
      await fake.close();
    };
    return { fake, running, seconds, logs, close };
  }

  it('a gateway that requires more shards fails the login at once, saying to set FACEOFF_DISCORD_SHARDS', async () => {
    const r = await login(1, 30_000, { shardsRequired: 2 });
    try {
      assert.ok(r.running instanceof Error);
      assert.equal(
        r.running.message,
        'Discord login failed: the gateway closed shard 0 (4011: Discord requires sharding for this bot: set FACEOFF_DISCORD_SHARDS=auto)',
      );
      assert.ok(r.seconds < 10, `failed after ${r.seconds.toFixed(1)} s`);
    } finally {
      await r.close();
    }
  });

  it('the timeout applies to each next shard: three shards identifying 5 s apart take longer than it in all', async () => {
    const r = await login(3, 8000, { maxConcurrency: 1 });
    try {
      assert.ok(!(r.running instanceof Error), String(r.running));
      assert.deepEqual(r.fake.identified, [
        [0, 3],
        [1, 3],
        [2, 3],
      ]);
      assert.ok(r.seconds > 8, `ready after ${r.seconds.toFixed(1)} s`);
      assert.ok(r.logs.includes('discord: ready on shards 0, 1, 2 of 3'), r.logs.join('\n'));
    } finally {
      await r.close();
    }
  });
});
