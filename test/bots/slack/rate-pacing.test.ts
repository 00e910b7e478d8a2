/**
 * Slack pacing: calls wait for their method's slot per workspace (and per channel for
 * chat.postMessage), in the order asked, within the burst and the sustained rate.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { webApi } from '@slack/bolt';
import { webClientOptions } from '../../../bots/slack/bolt-app';
import { RateSlots, SlackRatePacer } from '../../../bots/slack/rate-pacing';
import { BOT_TOKEN, FakeSlack } from './support/fake-slack';
import { testSlackConfig } from './support/slack-test-config';

describe('Slack rate pacing', () => {
  it('lets a burst through, then spaces calls by the interval, in the order asked', () => {
    let now = 0;
    const slots = new RateSlots(() => now);
    const limit = { perSecond: 1, burst: 3 };
    assert.deepEqual(
      [1, 2, 3, 4, 5].map(() => slots.reserve('k', limit)),
      [0, 0, 0, 1000, 2000],
    );
    now = 10_000;
    assert.equal(slots.reserve('k', limit), 0, 'a quiet spell gives the burst back');
    assert.equal(slots.reserve('other', limit), 0, 'keys are independent');
  });

  it('paces chat.postMessage per channel and chat.update per workspace, and passes other requests through', async () => {
    let now = 0;
    const waits: number[] = [];
    const pacer = new SlackRatePacer({
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    const sent: string[] = [];
    const fetch = pacer.fetch('http://slack/api/', async (url) => {
      sent.push(String(url));
      return new Response('{"ok":true}');
    });
    const call = (method: string, token: string, channel: string) =>
      fetch(`http://slack/api/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
        body: new URLSearchParams({ channel, text: 'x' }).toString(),
      });
    for (let i = 0; i < 3; i++) await call('chat.postMessage', 'xoxb-a', 'C1');
    await call('chat.postMessage', 'xoxb-a', 'C2');
    await call('chat.postMessage', 'xoxb-b', 'C1');
    assert.deepEqual(waits, [1000], 'the third message to one channel waits a second; others do not');
    waits.length = 0;
    for (let i = 0; i < 6; i++) await call('chat.update', 'xoxb-a', `C${i}`);
    assert.deepEqual(waits, [1200, 2400], 'Tier 3: a burst of 4, then 50 a minute per workspace');
    waits.length = 0;
    await call('auth.test', 'xoxb-a', '');
    await fetch('http://files.example/upload/F1', { method: 'POST', body: 'bytes' });
    assert.deepEqual(waits, []);
    assert.equal(sent.length, 13);
    now = 60_000;
    await call('chat.update', 'xoxb-a', 'C1');
    assert.deepEqual(waits, []);
  });

  it('against a Slack enforcing its limits: paced calls are never over them; unpaced ones are', async () => {
    const fake = await FakeSlack.start();
    try {
      fake.enforceLimits();
      const send = (client: webApi.WebClient, n: number) =>
        Promise.all(
          Array.from({ length: n }, (_, i) => client.chat.postMessage({ channel: 'CPACED', text: `m${i}` })),
        );
      const paced = new webApi.WebClient(
        BOT_TOKEN,
        webClientOptions(testSlackConfig(fake, { pacing: true }), 2, undefined, new SlackRatePacer()),
      );
      await send(paced, 5);
      assert.equal(fake.overLimit, 0);
      assert.equal(fake.callsTo('chat.postMessage').length, 5);
      const answers = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          fetch(`${fake.apiUrl}chat.postMessage`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${BOT_TOKEN}`,
              'content-type': 'application/x-www-form-urlencoded',
            },
            body: new URLSearchParams({ channel: 'CPACED', text: `u${i}` }).toString(),
          }),
        ),
      );
      assert.deepEqual(
        answers.map((a) => [a.status, a.headers.get('retry-after')]).filter(([status]) => status === 429)
          .length,
        fake.overLimit,
      );
      assert.ok(answers.every((a) => a.status === 200 || a.headers.get('retry-after') === '1'));
      assert.ok(fake.overLimit > 0, 'a burst past the limit is answered 429');
    } finally {
      await fake.close();
    }
  });
});
