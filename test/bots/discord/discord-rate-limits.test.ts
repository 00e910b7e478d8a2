/**
 * The Discord stand-in's rate limits, and discord.js pacing itself by their headers: a burst of
 * messages to one channel through discord.js's REST client arrives within the limits (no 429),
 * while the same burst sent bare is answered 429 past the fifth.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { REST, Routes } from 'discord.js';
import { DiscordRatePacer } from '../../../bots/discord/rest-pacing';
import { DiscordRateLimits } from './discord-rate-limits';
import { FakeDiscord } from './fake-discord';
import { IDS } from './payloads';

describe('Discord rate limits', () => {
  it('counts down per channel and route, resets after the window, and refuses the rest with 429', () => {
    let now = 1_000_000;
    const limits = new DiscordRateLimits(undefined, 50, () => now);
    const answers = Array.from({ length: 6 }, () => limits.take('POST', '/channels/1/messages', 't'));
    assert.deepEqual(
      answers.map((a) => a.headers['x-ratelimit-remaining']),
      ['4', '3', '2', '1', '0', '0'],
    );
    assert.equal(answers[0]?.headers['x-ratelimit-reset-after'], '5.000');
    assert.equal(answers[0]?.headers['x-ratelimit-bucket'], 'msgcreate');
    assert.ok(answers[5]?.limited && !answers[5].limited.global);
    assert.equal(answers[5]?.headers['retry-after'], '5');
    assert.equal(limits.overLimit, 1);
    assert.equal(limits.take('POST', '/channels/2/messages', 't').limited, undefined, 'another channel');
    assert.equal(limits.take('PATCH', '/channels/1/messages/9', 't').limited, undefined, 'another route');
    now += 5000;
    assert.equal(limits.take('POST', '/channels/1/messages', 't').limited, undefined, 'after the reset');
  });

  it('discord.js paces a burst by the headers: nothing arrives over the limit', async () => {
    const limits = new DiscordRateLimits();
    const arrived: number[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const answer = limits.take(req.method ?? '', (req.url ?? '').replace('/api/v10', ''), 'bot');
        arrived.push(Date.now());
        res
          .writeHead(answer.limited ? 429 : 200, { 'content-type': 'application/json', ...answer.headers })
          .end(JSON.stringify(answer.limited ? answer.limited.body : { id: String(arrived.length) }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const rest = new REST({
      api: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
      retries: 0,
    }).setToken('bot');
    try {
      const started = Date.now();
      await Promise.all(
        Array.from({ length: 7 }, (_, i) =>
          rest.post(Routes.channelMessages('42'), { body: { content: `m${i}` } }),
        ),
      );
      assert.equal(limits.overLimit, 0);
      assert.equal(arrived.length, 7);
      assert.ok(Date.now() - started >= 4500, 'the sixth waited for the window to reset');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it("Faceoff's global pacing: a burst of 5, then 45 a second; interaction answers never wait", async () => {
    const waits: number[] = [];
    const pacer = new DiscordRatePacer(
      undefined,
      () => 0,
      async (ms) => {
        waits.push(Math.round(ms));
      },
    );
    const request = pacer.makeRequest(async () => new Response('{}') as never);
    for (let i = 0; i < 7; i++) await request('http://discord/api/v10/channels/1/messages', {});
    await request('http://discord/api/v10/interactions/1/tok/callback', {});
    await request('http://discord/api/v10/webhooks/1/tok/messages/@original', {});
    assert.deepEqual(waits, [22, 44]);
    assert.equal(pacer.stats.calls, 7);
  });

  it('the Discord stand-in, when asked, sends the headers on every answer and refuses what is over', async () => {
    const fake = await FakeDiscord.start();
    try {
      const limits = fake.enforceLimits();
      const post = (i: number) =>
        fetch(`${fake.apiUrl}/v10/channels/${IDS.dm}/messages`, {
          method: 'POST',
          headers: { authorization: 'Bot t', 'content-type': 'application/json' },
          body: JSON.stringify({ content: `m${i}` }),
        });
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await post(i));
      assert.deepEqual(
        answers.map((a) => [a.status, a.headers.get('x-ratelimit-remaining')]),
        [
          [200, '4'],
          [200, '3'],
          [200, '2'],
          [200, '1'],
          [200, '0'],
          [429, '0'],
        ],
      );
      assert.ok(answers.every((a) => a.headers.get('x-ratelimit-bucket') === 'msgcreate'));
      assert.equal(answers[5]?.headers.get('retry-after'), '5');
      assert.equal(limits.overLimit, 1);
      assert.equal(fake.rateLimited.length, 1);
    } finally {
      await fake.close();
    }
  });
});
