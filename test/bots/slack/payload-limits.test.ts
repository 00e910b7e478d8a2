/**
 * The Slack stand-in refuses what real Slack refuses: a hand-made payload just over each documented
 * limit is answered with Slack's error and the JSON pointer of the offending value, through the real
 * WebClient; the same payload at the limit is accepted. Without this the limits every other Slack
 * test is held to could pass silently.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { webApi } from '@slack/bolt';
import { stopRecordingPayloads } from '../../support/payload-high-water';
import { BOT_TOKEN, FakeSlack } from './support/fake-slack';
import { checkSlackMessage, checkSlackView, SLACK_LIMITS } from './support/slack-limits';

type Json = Record<string, unknown>;

stopRecordingPayloads();

const mrkdwn = (n: number) => ({ type: 'mrkdwn', text: 'x'.repeat(n) });
const plain = (n: number) => ({ type: 'plain_text', text: 'x'.repeat(n) });
const section = (n: number) => ({ type: 'section', text: mrkdwn(n) });
const button = (over: Json = {}) => ({ type: 'button', action_id: 'a', text: plain(5), value: 'v', ...over });
const select = (options: number, text = 5) => ({
  type: 'static_select',
  action_id: 's',
  placeholder: plain(5),
  options: Array.from({ length: options }, (_, i) => ({ text: plain(text), value: `v${i}` })),
});
const actions = (elements: Json[]) => [{ type: 'actions', elements }];

/** One payload per documented message limit, one item or character over it, and the error expected. */
const OVER: { limit: string; blocks: Json[]; error: string; pointer: string }[] = [
  {
    limit: 'section text 3,000',
    blocks: [section(3001)],
    error: 'invalid_blocks',
    pointer: '/blocks/0/text/text',
  },
  {
    limit: '50 blocks',
    blocks: Array.from({ length: 51 }, () => section(1)),
    error: 'invalid_blocks',
    pointer: '/blocks',
  },
  {
    limit: 'field text 2,000',
    blocks: [{ type: 'section', fields: [mrkdwn(2001)] }],
    error: 'invalid_blocks',
    pointer: '/blocks/0/fields/0/text',
  },
  {
    limit: '10 fields',
    blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn(1)) }],
    error: 'invalid_blocks',
    pointer: '/blocks/0/fields',
  },
  {
    limit: 'header 150',
    blocks: [{ type: 'header', text: plain(151) }],
    error: 'invalid_blocks',
    pointer: '/blocks/0/text/text',
  },
  {
    limit: '10 context elements',
    blocks: [{ type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn(1)) }],
    error: 'invalid_blocks',
    pointer: '/blocks/0/elements',
  },
  {
    limit: '25 actions elements',
    blocks: actions(Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` }))),
    error: 'invalid_blocks',
    pointer: '/blocks/0/elements',
  },
  {
    limit: 'button text 75',
    blocks: actions([button({ text: plain(76) })]),
    error: 'invalid_blocks',
    pointer: '/blocks/0/elements/0/text/text',
  },
  {
    limit: 'action_id 255',
    blocks: actions([button({ action_id: 'a'.repeat(256) })]),
    error: 'invalid_blocks',
    pointer: '/blocks/0/elements/0/action_id',
  },
  {
    limit: 'block_id 255',
    blocks: [{ ...section(1), block_id: 'b'.repeat(256) }],
    error: 'invalid_blocks',
    pointer: '/blocks/0/block_id',
  },
  {
    limit: 'button value 2,000',
    blocks: actions([button({ value: 'v'.repeat(2001) })]),
    error: 'invalid_blocks',
    pointer: '/blocks/0/elements/0/value',
  },
  {
    limit: '100 select options',
    blocks: actions([select(101)]),
    error: 'invalid_blocks',
    pointer: '/blocks/0/elements/0/options',
  },
  {
    limit: 'option text 75',
    blocks: actions([select(1, 76)]),
    error: 'invalid_blocks',
    pointer: '/blocks/0/elements/0/options/0/text/text',
  },
  {
    limit: 'total block text 11,000',
    blocks: Array.from({ length: 4 }, () => section(2751)),
    error: 'msg_blocks_too_long',
    pointer: '/blocks',
  },
];

describe('Slack stand-in: documented limits', () => {
  let fake: FakeSlack;
  let client: webApi.WebClient;
  before(async () => {
    fake = await FakeSlack.start();
    client = new webApi.WebClient(BOT_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
  });
  after(async () => {
    await fake?.close();
  });

  for (const over of OVER) {
    it(`refuses a message over ${over.limit} with ${over.error}`, async () => {
      const before = fake.rejections.length;
      await assert.rejects(
        client.chat.postMessage({ channel: 'C1', text: 'over', blocks: over.blocks as never }),
        (e: { data?: { error?: string; errors?: string[] } }) => {
          assert.equal(e.data?.error, over.error);
          assert.ok(
            e.data?.errors?.some((line) => line.endsWith(`[json-pointer:${over.pointer}]`)),
            `names ${over.pointer}: ${e.data?.errors}`,
          );
          return true;
        },
      );
      assert.equal(fake.rejections.length, before + 1);
      assert.equal(fake.callsTo('chat.postMessage').length, 0, 'nothing was posted');
    });
  }

  it('accepts a message exactly at the limits', async () => {
    const blocks = [
      section(SLACK_LIMITS.sectionText),
      { type: 'section', fields: Array.from({ length: 10 }, () => mrkdwn(200)) },
      { type: 'header', text: plain(SLACK_LIMITS.headerText) },
      ...actions([
        button({ text: plain(75), value: 'v'.repeat(2000), action_id: 'a'.repeat(255) }),
        select(100, 75),
      ]),
    ];
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'at', blocks: blocks as never });
    assert.equal(posted.ok, true);
  });

  it('holds updates, ephemeral messages and response_url bodies to the same limits', async () => {
    const blocks = [section(3001)] as never;
    await assert.rejects(
      client.chat.update({ channel: 'C1', ts: '1.2', text: 'x', blocks }),
      /invalid_blocks/,
    );
    await assert.rejects(
      client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'x', blocks }),
      /invalid_blocks/,
    );
    const answer = await fetch(`${fake.base}/respond/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x', blocks }),
    });
    assert.equal(((await answer.json()) as Json).error, 'invalid_blocks');
    assert.equal(fake.responses.length, 0);
  });

  it('refuses message text over 40,000 characters with msg_too_long', async () => {
    await assert.rejects(
      client.chat.postMessage({ channel: 'C1', text: 'x'.repeat(SLACK_LIMITS.messageText + 1) }),
      /msg_too_long/,
    );
  });

  it('refuses a modal with a long title, submit label or more than 100 blocks', async () => {
    const view = (over: Json) => ({
      type: 'modal',
      title: plain(10),
      submit: plain(10),
      close: plain(10),
      blocks: [section(10)],
      ...over,
    });
    for (const [over, pointer] of [
      [{ title: plain(25) }, '/view/title/text'],
      [{ submit: plain(25) }, '/view/submit/text'],
      [{ close: plain(25) }, '/view/close/text'],
      [{ blocks: Array.from({ length: 101 }, () => section(1)) }, '/view/blocks'],
    ] as const) {
      await assert.rejects(
        client.views.open({ trigger_id: 't', view: view(over) as never }),
        (e: { data?: { error?: string; response_metadata?: { messages?: string[] } } }) => {
          assert.equal(e.data?.error, 'invalid_arguments');
          assert.ok(
            e.data?.response_metadata?.messages?.some((m) => m.includes(`[json-pointer:${pointer}]`)),
          );
          return true;
        },
      );
    }
    const opened = await client.views.open({ trigger_id: 't', view: view({ title: plain(24) }) as never });
    assert.equal(opened.ok, true);
  });

  it('checks messages without a network round trip too', () => {
    assert.equal(checkSlackMessage('test', { blocks: [section(3000)] }), undefined);
    assert.equal(checkSlackMessage('test', { blocks: [section(3001)] })?.error, 'invalid_blocks');
    assert.equal(checkSlackView('test', { title: plain(24), blocks: [] }), undefined);
  });
});
