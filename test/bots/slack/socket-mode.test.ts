import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fixture } from './support/slack-requests';
import { type SlackStack, startSlackStack } from './support/slack-stack';
import { channelPosts, elements, latestQuestion, threadPosts, updatesOf } from './support/thread-view';

const APP_TOKEN = 'xapp-1-A0FACEOFF-1234567890-test';

describe('Slack in Socket Mode (real Bolt app, local websocket)', () => {
  let s: SlackStack;
  before(async () => {
    s = await startSlackStack({ config: { transport: { kind: 'socket', appToken: APP_TOKEN } } });
  });
  after(async () => {
    await s?.close();
  });

  const slash = (text: string) => {
    const envelope = fixture<{ envelope_id: string; type: string; payload: Record<string, string> }>(
      'socket-slash-command-envelope.json',
    );
    return {
      ...envelope,
      envelope_id: randomUUID(),
      payload: { ...envelope.payload, text, trigger_id: randomUUID() },
    };
  };

  it('connects with the app token: apps.connections.open, then the websocket hello', () => {
    const open = s.fake.callsTo('apps.connections.open');
    assert.equal(open.length, 1);
    assert.equal(open[0]?.token, APP_TOKEN);
    assert.equal(s.adapter.port, undefined, 'no HTTP listener');
  });

  it('acknowledges a slash command envelope and answers through the Web API', async () => {
    const envelope = slash('tasks');
    const ack = await s.fake.sendEnvelope(envelope);
    assert.deepEqual(ack, {});
    await s.settle();
    assert.match(JSON.stringify(channelPosts(s.fake, 'C0GENERAL1').at(-1)?.blocks), /customer_service/);
  });

  it('handles interactive and events envelopes; a retried event (retry_attempt) is handled once', async () => {
    await s.fake.sendEnvelope(slash('decide'));
    await s.settle();
    const thread = channelPosts(s.fake, 'C0GENERAL1').at(-1)?.ts ?? '';
    const first = latestQuestion(s.fake, thread);
    const button = elements(first.blocks).find((e) => e.action_id.startsWith('decide:answer'));
    assert.ok(button);
    await s.fake.sendEnvelope({
      envelope_id: randomUUID(),
      type: 'interactive',
      payload: s.payloads.buttonPress({ ts: first.ts, thread }, button.action_id, button.value ?? ''),
    });
    await s.settle();
    assert.equal(updatesOf(s.fake, first.ts).length, 1);
    const second = latestQuestion(s.fake, thread);
    assert.equal(second.number, 2);
    const event = s.payloads.threadMessage('2 weeks', thread);
    await s.fake.sendEnvelope({
      envelope_id: randomUUID(),
      type: 'events_api',
      payload: event,
      retry_attempt: 0,
    });
    await s.fake.sendEnvelope({
      envelope_id: randomUUID(),
      type: 'events_api',
      payload: event,
      retry_attempt: 1,
    });
    await s.settle();
    assert.equal(updatesOf(s.fake, second.ts).length, 1);
    assert.equal(threadPosts(s.fake, thread).filter((p) => /Question 3 of 9/.test(p.text)).length, 1);
    assert.deepEqual(s.logs, []);
  });
});
