/**
 * The Discord stand-in refuses what real Discord refuses: a hand-made payload just over each
 * documented limit is answered HTTP 400 "Invalid Form Body" naming the field, through discord.js's
 * own REST client; the same payload at the limit is accepted. Without this the limits every other
 * Discord test is held to could pass silently.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DiscordAPIError, REST, Routes } from 'discord.js';
import { stopRecordingPayloads } from '../../support/payload-high-water';
import { DISCORD_LIMITS } from './discord-limits';
import { FakeDiscord } from './fake-discord';
import { IDS } from './payloads';

type Json = Record<string, unknown>;

stopRecordingPayloads();

const x = (n: number) => 'x'.repeat(n);
const embed = (over: Json = {}) => ({ description: 'd', ...over });
const button = (over: Json = {}) => ({ type: 2, style: 2, custom_id: 'c', label: 'b', ...over });
const row = (components: Json[]) => ({ type: 1, components });
const select = (options: number, label = 5) => ({
  type: 3,
  custom_id: 's',
  options: Array.from({ length: options }, (_, i) => ({ label: x(label), value: `v${i}` })),
});

/** One message per documented limit, just over it, and the field Discord names (discord.js's spelling). */
const OVER: { limit: string; body: Json; field: string }[] = [
  { limit: 'content 2,000', body: { content: x(2001) }, field: 'content' },
  { limit: '10 embeds', body: { embeds: Array.from({ length: 11 }, () => embed()) }, field: 'embeds' },
  { limit: 'embed title 256', body: { embeds: [embed({ title: x(257) })] }, field: 'embeds[0].title' },
  {
    limit: 'embed description 4,096',
    body: { embeds: [embed({ description: x(4097) })] },
    field: 'embeds[0].description',
  },
  {
    limit: '25 embed fields',
    body: { embeds: [embed({ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) })] },
    field: 'embeds[0].fields',
  },
  {
    limit: 'field name 256',
    body: { embeds: [embed({ fields: [{ name: x(257), value: 'v' }] })] },
    field: 'embeds[0].fields[0].name',
  },
  {
    limit: 'field value 1,024',
    body: { embeds: [embed({ fields: [{ name: 'n', value: x(1025) }] })] },
    field: 'embeds[0].fields[0].value',
  },
  {
    limit: 'footer 2,048',
    body: { embeds: [embed({ footer: { text: x(2049) } })] },
    field: 'embeds[0].footer.text',
  },
  {
    limit: 'embed total 6,000',
    body: { embeds: [embed({ description: x(4000) }), embed({ description: x(2001) })] },
    field: 'embeds',
  },
  {
    limit: '5 action rows',
    body: { components: Array.from({ length: 6 }, (_, i) => row([button({ custom_id: `c${i}` })])) },
    field: 'components',
  },
  {
    limit: '5 buttons a row',
    body: { components: [row(Array.from({ length: 6 }, (_, i) => button({ custom_id: `c${i}` })))] },
    field: 'components[0].components',
  },
  {
    limit: 'button label 80',
    body: { components: [row([button({ label: x(81) })])] },
    field: 'components[0].components[0].label',
  },
  {
    limit: 'custom_id 100',
    body: { components: [row([button({ custom_id: x(101) })])] },
    field: 'components[0].components[0].custom_id',
  },
  {
    limit: '25 select options',
    body: { components: [row([select(26)])] },
    field: 'components[0].components[0].options',
  },
  {
    limit: 'select option label 100',
    body: { components: [row([select(1, 101)])] },
    field: 'components[0].components[0].options[0].label',
  },
  {
    limit: '10 attachments',
    body: {
      content: 'files',
      attachments: Array.from({ length: 11 }, (_, i) => ({ id: i, filename: `${i}.txt` })),
    },
    field: 'attachments',
  },
];

const command = (over: Json = {}) => ({ name: 'faceoff', description: 'Faceoff', type: 1, ...over });
const COMMANDS_OVER: { limit: string; body: Json[]; field: string }[] = [
  { limit: 'name pattern', body: [command({ name: 'Face off' })], field: '0.name' },
  { limit: 'name 32', body: [command({ name: x(33) })], field: '0.name' },
  { limit: 'description 100', body: [command({ description: x(101) })], field: '0.description' },
  { limit: 'empty description', body: [command({ description: '' })], field: '0.description' },
  {
    limit: '25 options',
    body: [
      command({
        options: Array.from({ length: 26 }, (_, i) => ({ type: 3, name: `o${i}`, description: 'o' })),
      }),
    ],
    field: '0.options',
  },
  {
    limit: '25 choices',
    body: [
      command({
        options: [
          {
            type: 3,
            name: 'task',
            description: 'Task',
            choices: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `c${i}` })),
          },
        ],
      }),
    ],
    field: '0.options[0].choices',
  },
  {
    limit: 'option description 100',
    body: [command({ options: [{ type: 3, name: 'task', description: x(101) }] })],
    field: '0.options[0].description',
  },
];

describe('Discord stand-in: documented limits', () => {
  let fake: FakeDiscord;
  let rest: REST;
  before(async () => {
    fake = await FakeDiscord.start();
    rest = new REST({ api: fake.apiUrl, retries: 0 }).setToken('MTEw.fake.token');
  });
  after(async () => {
    await fake?.close();
  });

  const refused = (field: string) => (e: unknown) => {
    assert.ok(e instanceof DiscordAPIError, String(e));
    assert.equal(e.status, 400);
    assert.equal(e.code, 50035);
    assert.ok(e.message.includes(`${field}[`), `names ${field}: ${e.message}`);
    return true;
  };

  for (const over of OVER) {
    it(`refuses a message over ${over.limit} naming ${over.field}`, async () => {
      const before = fake.rejections.length;
      await assert.rejects(
        rest.post(Routes.channelMessages(IDS.channel), { body: over.body }),
        refused(over.field),
      );
      assert.equal(fake.rejections.length, before + 1);
      assert.equal(fake.calls.filter((c) => c.method === 'POST').length, 0, 'nothing was posted');
    });
  }

  it('holds edits, interaction replies, callbacks and modals to the same limits', async () => {
    const body = { content: x(2001) };
    await assert.rejects(rest.patch(Routes.channelMessage(IDS.channel, '1'), { body }), refused('content'));
    await assert.rejects(
      rest.patch(Routes.webhookMessage(IDS.bot, 'tok', '@original'), { body }),
      refused('content'),
    );
    await assert.rejects(rest.post(Routes.webhook(IDS.bot, 'tok'), { body }), refused('content'));
    await assert.rejects(
      rest.post(Routes.interactionCallback('1', 'tok'), { body: { type: 4, data: body } }),
      refused('data.content'),
    );
    const modal = { type: 9, data: { custom_id: 'm', title: x(46), components: [] } };
    await assert.rejects(
      rest.post(Routes.interactionCallback('1', 'tok'), { body: modal }),
      refused('data.title'),
    );
  });

  it('refuses an attachment over 10 MiB', async () => {
    const files = [{ name: 'big.txt', data: Buffer.alloc(DISCORD_LIMITS.attachmentBytes + 1) }];
    await assert.rejects(
      rest.post(Routes.channelMessages(IDS.channel), { body: { content: 'f' }, files }),
      refused('files[0]'),
    );
  });

  for (const over of COMMANDS_OVER) {
    it(`refuses command registration over ${over.limit}`, async () => {
      await assert.rejects(
        rest.put(Routes.applicationCommands(IDS.bot), { body: over.body }),
        refused(over.field),
      );
    });
  }

  it('accepts a message and commands exactly at the limits', async () => {
    const body = {
      content: x(DISCORD_LIMITS.content),
      embeds: [embed({ title: x(256), description: x(4096), fields: [{ name: x(256), value: x(1024) }] })],
      components: [
        row(Array.from({ length: 5 }, (_, i) => button({ custom_id: `${i}${x(99)}`, label: x(80) }))),
        row([select(25, 100)]),
      ],
    };
    await rest.post(Routes.channelMessages(IDS.channel), { body });
    await rest.put(Routes.applicationCommands(IDS.bot), {
      body: [command({ name: x(32), description: x(100) })],
    });
    assert.equal(fake.calls.length, 2);
  });
});
