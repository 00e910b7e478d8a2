/**
 * Both posters pace edits through the edit pacer: a burst of progress edits of one message in one
 * conversation ends as one edit carrying the latest state, at most one edit per conversation per
 * interval; new messages and other conversations are not held up by it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { webApi } from '@slack/bolt';
import type { Client } from 'discord.js';
import { ChannelPoster } from '../../bots/discord/channel-poster';
import type { MessageKeys } from '../../bots/discord/message-keys';
import { EditPacer } from '../../bots/edit-pacer';
import type { PostedMessages } from '../../bots/slack/post/posted-messages';
import { SlackPoster } from '../../bots/slack/post/poster';
import type { ConversationRef } from '../../src/chat/conversation';

const INTERVAL = 150;

/** A key store in memory, shaped like both platforms' (get, and remember or set). */
function memoryKeys() {
  const map = new Map<string, unknown>();
  const get = async (conversation: string, key: string) => map.get(`${conversation}|${key}`);
  const put = async (conversation: string, key: string, value: unknown) => {
    map.set(`${conversation}|${key}`, value);
  };
  return { get, remember: put, set: put };
}

const progress = (n: number) => ({
  text: `progress ${n}`,
  key: 'progress:job-1',
  replaceKey: 'progress:job-1',
});

describe('posters pace edits', () => {
  it('Slack: a burst of edits of one message becomes the latest one, one interval after the last edit', async () => {
    const calls: { method: string; text: string; at: number }[] = [];
    const client = {
      chat: {
        postMessage: async (a: { text: string }) => {
          calls.push({ method: 'postMessage', text: a.text, at: Date.now() });
          return { ok: true, ts: '1.0001' };
        },
        update: async (a: { text: string }) => {
          calls.push({ method: 'update', text: a.text, at: Date.now() });
          return { ok: true };
        },
      },
    } as unknown as webApi.WebClient;
    const pacer = new EditPacer(INTERVAL);
    const poster = new SlackPoster(memoryKeys() as unknown as PostedMessages, () => {}, pacer);
    const conversation = (channel: string): ConversationRef => ({
      platform: 'slack',
      workspace: 'T1',
      channel,
    });
    await poster.deliver({ client, conversation: conversation('C1') }, [progress(1)]);
    await Promise.all(
      [2, 3, 4, 5].map((n) => poster.deliver({ client, conversation: conversation('C1') }, [progress(n)])),
    );
    await poster.deliver({ client, conversation: conversation('C2') }, [progress(1)]);
    const c1 = calls.filter((c) => c.text !== 'progress 1' || c.method === 'postMessage').slice(0, 2);
    assert.deepEqual(
      calls.map((c) => `${c.method} ${c.text}`),
      ['postMessage progress 1', 'update progress 5', 'postMessage progress 1'],
    );
    assert.ok((c1[1]?.at ?? 0) - (c1[0]?.at ?? 0) >= INTERVAL - 5, 'the edit waited for its turn');
    assert.equal(pacer.superseded, 3);
    // A new message is not paced.
    const before = Date.now();
    await poster.deliver({ client, conversation: conversation('C1') }, [{ text: 'finished' }]);
    assert.ok(Date.now() - before < INTERVAL, 'an announcement goes out at once');
  });

  it('Discord: the same, through the channel poster', async () => {
    const calls: { method: string; text: string; at: number }[] = [];
    const channel = {
      isSendable: () => true,
      send: async (o: { content: string }) => {
        calls.push({ method: 'send', text: o.content, at: Date.now() });
        return { id: `m${calls.length}` };
      },
      messages: {
        edit: async (_id: string, o: { content: string }) => {
          calls.push({ method: 'edit', text: o.content, at: Date.now() });
        },
      },
    };
    const client = { channels: { cache: new Map([['100', channel]]) } } as unknown as Client;
    const pacer = new EditPacer(INTERVAL);
    const poster = new ChannelPoster(
      client,
      memoryKeys() as unknown as MessageKeys,
      () => {},
      undefined,
      pacer,
    );
    const conversation: ConversationRef = { platform: 'discord', workspace: 'G1', channel: '100' };
    await poster.deliver(conversation, [progress(1)]);
    await Promise.all([2, 3, 4].map((n) => poster.deliver(conversation, [progress(n)])));
    assert.deepEqual(
      calls.map((c) => `${c.method} ${c.text}`),
      ['send progress 1', 'edit progress 4'],
    );
    assert.ok((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0) >= INTERVAL - 5);
    assert.equal(pacer.superseded, 2);
  });
});
