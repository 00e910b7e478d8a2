import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FaceoffApp } from '../../../bots/compose';
import { type RunningDiscord, startDiscord } from '../../../bots/discord/runner';
import { FaceoffMetrics } from '../../../ops/metrics';
import { parseSamples, sampleSum } from '../../ops/prometheus-text';
import { startCoreApp } from '../../support/core-app';
import { waitFor } from '../../support/harness';
import { slash } from './discord-calls';
import { TOKEN } from './discord-stack';
import { FakeDiscord } from './fake-discord';
import { IDS } from './payloads';

/** The real discord.js client against the local Discord, which answers one call with HTTP 429. */
describe('Discord API call and acknowledgement metrics', () => {
  const metrics = new FaceoffMetrics({ process: 'bot', defaultMetrics: false });
  const logs: string[] = [];
  let fake: FakeDiscord;
  let app: FaceoffApp;
  let discord: RunningDiscord;
  before(async () => {
    fake = await FakeDiscord.start();
    app = await startCoreApp();
    discord = await startDiscord(
      app,
      { token: TOKEN, applicationId: IDS.bot, apiUrl: fake.apiUrl, dispatchRoleIds: [] },
      { restRetries: 0, log: (m) => logs.push(m), readyTimeoutMs: 10_000, metrics },
    );
  });
  after(async () => {
    await discord?.stop();
    await app?.close();
    await fake?.close();
  });

  it('counts a deferral answered 429 then accepted, and times the acknowledgement across the wait', async () => {
    fake.rateLimitOnce('POST', /^\/interactions\/[^/]+\/[^/]+\/callback$/);
    const answer = await slash(fake, 'help');
    assert.equal(answer.callback.body?.type, 5);
    assert.equal(fake.rateLimited.length, 1);

    const text = await metrics.text();
    const callback = { platform: 'discord', method: 'POST /interactions/:id/:token/callback' };
    assert.equal(
      sampleSum(text, 'faceoff_chat_api_calls_total', { ...callback, outcome: 'rate_limited' }),
      1,
    );
    assert.equal(sampleSum(text, 'faceoff_chat_api_calls_total', { ...callback, outcome: 'ok' }), 1);
    assert.equal(sampleSum(text, 'faceoff_chat_api_rate_limited_total', callback), 1);
    const ack = { platform: 'discord', kind: 'slash_command' };
    assert.equal(sampleSum(text, 'faceoff_chat_ack_seconds_count', ack), 1);
    // Retry-After was 50 ms: the acknowledgement waited it out.
    assert.ok(sampleSum(text, 'faceoff_chat_ack_seconds_sum', ack) >= 0.05);
    // The private answer filled the private deferral; its response is counted once discord.js has read it.
    const filled = {
      platform: 'discord',
      method: 'PATCH /webhooks/:id/:token/messages/@original',
      outcome: 'ok',
    };
    await waitFor('the answer counted', async () =>
      sampleSum(await metrics.text(), 'faceoff_chat_api_calls_total', filled) === 1 ? true : undefined,
    );
    const removed = { platform: 'discord', method: 'DELETE /webhooks/:id/:token/messages/@original' };
    assert.equal(sampleSum(await metrics.text(), 'faceoff_chat_api_calls_total', removed), 0);
    const labels = parseSamples(text)
      .filter((s) => s.name === 'faceoff_chat_api_calls_total')
      .map((s) => s.labels.method ?? '');
    for (const label of labels) {
      assert.ok(!label.includes(answer.token) && !/\d{5,}/.test(label), `no token or id in ${label}`);
    }
    assert.deepEqual(logs, []);
  });
});
