import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LogLevel } from '@slack/bolt';
import type { FaceoffApp } from '../../../bots/compose';
import { type SlackAdapter, startSlackAdapter } from '../../../bots/slack/adapter';
import { observedSlackFetch } from '../../../bots/slack/api-call-metrics';
import { FaceoffMetrics } from '../../../ops/metrics';
import { parseSamples, sampleSum } from '../../ops/prometheus-text';
import { startCoreApp } from '../../support/core-app';
import { BOT_TOKEN, FakeSlack } from './support/fake-slack';
import { form, SlackPayloads, signedPost } from './support/slack-requests';
import { testSlackConfig } from './support/slack-test-config';

const SLACK_METHOD_LABEL = /^([a-z]+(\.[A-Za-z]+)+|file_upload|response_url)$/;

/** The real Bolt app and WebClient against the local Slack, which answers one call with HTTP 429. */
describe('Slack API call and acknowledgement metrics', () => {
  const metrics = new FaceoffMetrics({ process: 'bot', defaultMetrics: false });
  const logs: string[] = [];
  let fake: FakeSlack;
  let app: FaceoffApp;
  let adapter: SlackAdapter;
  before(async () => {
    fake = await FakeSlack.start();
    app = await startCoreApp();
    const config = testSlackConfig(fake);
    adapter = await startSlackAdapter(app, config, {
      port: 0,
      logLevel: LogLevel.ERROR,
      apiRetries: 1,
      metrics,
      log: (m) => logs.push(m),
    });
  });
  after(async () => {
    await adapter?.stop();
    await app?.close();
    await fake?.close();
  });

  it('counts a message post answered 429 then sent on retry, and the slash command acknowledgement', async () => {
    fake.rateLimitOnce('chat.postMessage');
    const payloads = new SlackPayloads(fake.base);
    const url = `http://127.0.0.1:${adapter.port}/slack/events`;
    const acked = await signedPost(
      url,
      form(payloads.slashCommand('decide')),
      'application/x-www-form-urlencoded',
    );
    assert.equal(acked.status, 200);
    await adapter.settled();
    assert.deepEqual(fake.rateLimited, ['chat.postMessage']);
    assert.equal(
      fake.callsTo('chat.postMessage').length >= 1,
      true,
      'the thread root was posted after the 429',
    );

    const text = await metrics.text();
    const post = { platform: 'slack', method: 'chat.postMessage' };
    assert.equal(sampleSum(text, 'faceoff_chat_api_calls_total', { ...post, outcome: 'rate_limited' }), 1);
    assert.equal(
      sampleSum(text, 'faceoff_chat_api_calls_total', { ...post, outcome: 'ok' }),
      fake.callsTo('chat.postMessage').length,
    );
    assert.equal(sampleSum(text, 'faceoff_chat_api_rate_limited_total', post), 1);
    assert.equal(
      sampleSum(text, 'faceoff_chat_ack_seconds_count', { platform: 'slack', kind: 'slash_command' }),
      1,
    );
    for (const sample of parseSamples(text).filter((s) => s.name === 'faceoff_chat_api_calls_total'))
      assert.match(sample.labels.method ?? '', SLACK_METHOD_LABEL);
    assert.deepEqual(logs, []);
  });

  it('tells refusals, response_url answers and unreachable hosts apart', async () => {
    const counted = new FaceoffMetrics({ process: 'bot', defaultMetrics: false });
    const observed = observedSlackFetch(counted, fake.apiUrl);
    const post = (url: string, body: string) =>
      observed(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Bearer ${BOT_TOKEN}`,
        },
        body,
      });
    assert.equal((await post(`${fake.apiUrl}files.info`, 'file=F404')).status, 200);
    assert.equal((await post(`${fake.base}/respond/abc123`, '{}')).status, 200);
    await assert.rejects(post('http://127.0.0.1:1/api/chat.postMessage', ''));

    const text = await counted.text();
    const count = (method: string, outcome: string) =>
      sampleSum(text, 'faceoff_chat_api_calls_total', { platform: 'slack', method, outcome });
    assert.equal(count('files.info', 'error'), 1, 'ok: false from Slack is an error');
    assert.equal(count('response_url', 'ok'), 1);
    assert.equal(count('response_url', 'network_error'), 1, 'a host that is not the API is never named');
  });
});
