import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ButtonStyle, ComponentType } from 'discord.js';
import { decodeCustomId, encodeCustomId } from '../../../bots/discord/component-ids';
import { codeBlock, toDiscordMarkdown } from '../../../bots/discord/markdown';
import { LIMITS, REPLY_FILE, renderReply, TABLES_FILE } from '../../../bots/discord/render-reply';
import type { Table } from '../../../src/chat/replies';
import { questionReply } from '../../../src/decision/messages';
import { MAIN_QUESTIONS, QUESTIONS } from '../../../src/decision/questions';

const table = (rows: number, title = 'Results'): Table => ({
  title,
  columns: [{ header: 'Task' }, { header: 'Method' }, { header: 'Val loss', align: 'right' }],
  rows: Array.from({ length: rows }, (_, i) => [
    `task_${i}`,
    i % 2 ? 'LoRA' : 'Full FT',
    (1 / (i + 1)).toFixed(4),
  ]),
  notes: ['measured on the validation split'],
});

describe('Discord markdown', () => {
  it('turns *bold* into **bold**, leaves _italic_ and code alone', () => {
    assert.equal(
      toDiscordMarkdown('*Recommendation: LoRA* and _maybe_'),
      '**Recommendation: LoRA** and _maybe_',
    );
    assert.equal(toDiscordMarkdown('run `a*b*c` then *go*'), 'run `a*b*c` then **go**');
    assert.equal(toDiscordMarkdown('2 * 3 * 4 stays'), '2 * 3 * 4 stays');
    assert.equal(toDiscordMarkdown('**already bold**'), '**already bold**');
    assert.equal(toDiscordMarkdown('```\n*x*\n```'), '```\n*x*\n```');
  });

  it('keeps a fence inside a code block from closing it', () => {
    assert.equal(codeBlock('a```b').split('```').length, 3);
  });
});

describe('custom ids', () => {
  it('carry action id and value, round trip, and refuse what Discord would reject', () => {
    const id = encodeCustomId('decide:answer', '1k_10k');
    assert.equal(id, 'faceoff|decide:answer|1k_10k');
    assert.deepEqual(decodeCustomId(id ?? ''), { actionId: 'decide:answer', value: '1k_10k' });
    assert.deepEqual(decodeCustomId('faceoff|jobs:cancel|a|b'), { actionId: 'jobs:cancel', value: 'a|b' });
    assert.equal(encodeCustomId('x', 'v'.repeat(100)), undefined);
    assert.equal(decodeCustomId('other-bot|x|y'), undefined);
  });
});

describe('renderReply', () => {
  it('plain text becomes content; buttons become rows of at most five with their styles', () => {
    const question = QUESTIONS[1];
    assert.ok(question);
    const payload = renderReply(
      questionReply(question, { current: 'timeline', number: 2, total: 9, planned: [...MAIN_QUESTIONS] }),
    );
    assert.match(payload.content, /^\*\*Question 2 of 9\*\*/);
    assert.equal(payload.embeds.length, 0);
    const buttons = payload.components.flatMap((r) => r.components);
    assert.ok(payload.components.every((r) => r.components.length <= 5));
    assert.equal(buttons.length, question.choices.length + 3);
    const cancel = buttons.find((b) => 'custom_id' in b && b.custom_id === 'faceoff|decide:nav|cancel');
    assert.equal(cancel && 'style' in cancel ? cancel.style : undefined, ButtonStyle.Danger);
  });

  it('a select menu is one row with its options', () => {
    const payload = renderReply({
      text: 'Pick',
      select: {
        actionId: 'decide:answer',
        placeholder: 'Task',
        options: [{ value: 'code_generation', label: 'Code generation' }],
      },
    });
    const menu = payload.components[0]?.components[0];
    assert.equal(menu?.type, ComponentType.StringSelect);
    assert.deepEqual(menu && 'options' in menu ? menu.options : [], [
      { label: 'Code generation', value: 'code_generation' },
    ]);
  });

  it('fields, tables and images become embeds: tables as code blocks, images as attachments', () => {
    const payload = renderReply({
      text: '*Results*',
      fields: [{ label: 'Model', value: '`tiny`' }],
      tables: [table(4)],
      images: [
        { filename: 'loss curves.png', png: new Uint8Array([1]), altText: 'loss', title: 'Loss' },
        { filename: 'cost.png', png: new Uint8Array([2]), altText: 'cost', title: 'Cost' },
      ],
    });
    assert.equal(payload.content, '');
    const [main, tableEmbed, imageEmbed] = payload.embeds;
    assert.equal(main?.description, '**Results**');
    assert.deepEqual(main?.fields, [{ name: 'Model', value: '`tiny`' }]);
    assert.deepEqual(main?.image, { url: 'attachment://loss_curves.png' });
    assert.equal(tableEmbed?.title, 'Results');
    assert.match(tableEmbed?.description ?? '', /^```\nTask +Method +Val loss\n/);
    assert.match(tableEmbed?.description ?? '', /measured on the validation split\n```$/);
    assert.deepEqual(imageEmbed, {
      color: main?.color,
      title: 'Cost',
      image: { url: 'attachment://cost.png' },
    });
    assert.deepEqual(
      payload.files.map((f) => f.name),
      ['loss_curves.png', 'cost.png'],
    );
  });

  it('tables beyond the embed limits travel as a text file; the embeds stay within Discord limits', () => {
    const payload = renderReply({ text: 'Many runs', tables: [table(200), table(200, 'Second')] });
    assert.equal(payload.embeds.length, 1);
    assert.match(payload.embeds[0]?.description ?? '', /tables are attached as tables\.txt/);
    const file = payload.files.find((f) => f.name === TABLES_FILE);
    assert.ok(file);
    const text = (file.attachment as Buffer).toString('utf8');
    assert.match(text, /^Results\nTask/);
    assert.match(text, /task_199/);
  });

  it('long text and many fields are cut to Discord limits', () => {
    const payload = renderReply({
      text: 'x'.repeat(5000),
      fields: Array.from({ length: 30 }, (_, i) => ({ label: `f${i}`.repeat(100), value: 'v'.repeat(2000) })),
    });
    const [main] = payload.embeds;
    assert.ok((main?.description?.length ?? 0) <= LIMITS.description);
    assert.ok((main?.fields?.length ?? 0) <= LIMITS.fields);
    assert.ok(
      main?.fields?.every((f) => f.name.length <= LIMITS.fieldName && f.value.length <= LIMITS.fieldValue),
    );
    const total =
      (main?.description?.length ?? 0) +
      (main?.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    assert.ok(total <= LIMITS.embedTotal, `embed total ${total}`);
    assert.match(main?.description ?? '', /whole reply is attached as reply\.txt/);
    const whole = payload.files.find((f) => f.name === REPLY_FILE);
    assert.ok(whole, 'what was cut travels whole as reply.txt');
    const text = (whole.attachment as Buffer).toString('utf8');
    assert.ok(text.includes('x'.repeat(5000)) && text.includes(`${'f29'.repeat(100)}: ${'v'.repeat(2000)}`));
  });

  it('cuts long text at a line break, never inside a number, and says where the rest is', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `seed ${i}: val loss ${(2 + i / 3).toFixed(6)}`);
    const payload = renderReply({ text: lines.join('\n'), tables: [table(3)] });
    const [main] = payload.embeds;
    const shown = (main?.description ?? '').split('\n').filter((l) => l.startsWith('seed'));
    assert.ok(shown.length > 50 && shown.length < lines.length);
    assert.deepEqual(shown, lines.slice(0, shown.length), 'whole lines only');
    assert.ok(payload.files.some((f) => f.name === REPLY_FILE));
    const total = payload.embeds.reduce(
      (n, e) => n + (e.description?.length ?? 0) + (e.title?.length ?? 0),
      0,
    );
    assert.ok(total <= LIMITS.embedTotal, `embed total ${total}`);
  });

  it('a reply within the limits is sent as it is, with no reply.txt', () => {
    const payload = renderReply({
      text: 'Short',
      fields: [{ label: 'Model', value: 'tiny' }],
      tables: [table(4)],
    });
    assert.ok(!payload.files.some((f) => f.name === REPLY_FILE));
    assert.ok(!/reply\.txt/.test(payload.embeds[0]?.description ?? ''));
  });
});
