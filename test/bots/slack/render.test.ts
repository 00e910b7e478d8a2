import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filesOf } from '../../../bots/slack/post/uploads';
import {
  blocksText,
  MESSAGE_TEXT_BUDGET,
  renderMessages,
  renderReply,
  tableText,
} from '../../../bots/slack/render/blocks';
import { neutralActionId } from '../../../bots/slack/render/controls';
import { chunkLines, toMrkdwn } from '../../../bots/slack/render/mrkdwn';
import type { Reply, Table } from '../../../src/chat/replies';
import { blockText } from './support/thread-view';

type AnyBlock = {
  type: string;
  text?: { text: string };
  fields?: unknown[];
  elements?: { type: string; action_id: string; options?: unknown[] }[];
};
const blocksOf = (reply: Reply) => renderReply(reply).blocks as AnyBlock[];

describe('Block Kit rendering of neutral replies', () => {
  it('keeps the light markdown, escapes Slack control characters, keeps quotes', () => {
    assert.equal(toMrkdwn('*bold* _it_ `x < y & z`\n> chosen'), '*bold* _it_ `x &lt; y &amp; z`\n> chosen');
    const message = renderReply({ text: '*Recommendation: LoRA*\nscores 9.5 > 4.0' });
    assert.equal(message.text, 'Recommendation: LoRA\nscores 9.5 > 4.0', 'plain fallback text');
    assert.equal(message.blocks[0]?.type, 'section');
  });

  it('gives every control a unique action id and turns more than five answers into a static select', () => {
    const answers = Array.from({ length: 6 }, (_, i) => ({
      actionId: 'decide:answer',
      value: `v${i}`,
      label: `Choice ${i}`,
    }));
    const blocks = blocksOf({
      text: 'Q',
      buttons: [...answers, { actionId: 'decide:nav', value: 'back', label: 'Back' }],
    });
    const controls = blocks.find((b) => b.type === 'actions')?.elements ?? [];
    assert.deepEqual(
      controls.map((e) => e.type),
      ['static_select', 'button'],
    );
    assert.equal(controls[0]?.options?.length, 6);
    assert.equal(new Set(controls.map((e) => e.action_id)).size, controls.length);
    assert.deepEqual(
      controls.map((e) => neutralActionId(e.action_id)),
      ['decide:answer', 'decide:nav'],
    );
    const few =
      blocksOf({ text: 'Q', buttons: answers.slice(0, 3) }).find((b) => b.type === 'actions')?.elements ?? [];
    assert.deepEqual(
      few.map((e) => e.action_id),
      ['decide:answer#0', 'decide:answer#1', 'decide:answer#2'],
    );
  });

  it('renders tables as code blocks with notes as context, fields in sections of ten', () => {
    const reply: Reply = {
      text: 'Results',
      fields: Array.from({ length: 12 }, (_, i) => ({ label: `F${i}`, value: String(i) })),
      tables: [
        {
          title: 'Scores',
          columns: [{ header: 'Method' }, { header: 'Loss', align: 'right' }],
          rows: [['LoRA', '1.20']],
          notes: ['lower is better'],
        },
      ],
    };
    const blocks = blocksOf(reply);
    assert.deepEqual(
      blocks.filter((b) => b.fields).map((b) => b.fields?.length),
      [10, 2],
    );
    assert.ok(blocks.some((b) => b.text?.text === '*Scores*'));
    assert.ok(
      blocks.some((b) => b.text?.text.startsWith('```\nMethod  Loss\n------  ----\nLoRA    1.20\n```')),
    );
    assert.ok(blocks.some((b) => b.type === 'context'));
    const fenced = blocksOf({ text: 't', tables: [{ columns: [{ header: 'Code' }], rows: [['```rm```']] }] });
    assert.equal(
      (
        fenced
          .map((b) => b.text?.text ?? '')
          .join('')
          .match(/```/g) ?? []
      ).length,
      2,
      'one code block, unbroken',
    );
  });

  it('stays within Block Kit limits: long text split, oversized tables attached as files', () => {
    const long = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n');
    for (const chunk of chunkLines(long, 3000)) assert.ok(chunk.length <= 3000);
    const blocks = blocksOf({ text: long });
    assert.ok(blocks.length > 1 && blocks.every((b) => (b.text?.text.length ?? 0) <= 3000));
    const huge = {
      title: 'All runs',
      columns: [{ header: 'Run' }],
      rows: Array.from({ length: 600 }, (_, i) => [`run ${i} ${'y'.repeat(20)}`]),
    };
    const reply: Reply = {
      text: 'Runs',
      tables: [huge],
      images: [{ filename: 'c.png', png: new Uint8Array([1, 2]), altText: 'chart' }],
    };
    assert.ok(
      blocksOf(reply).some((b) => /600 rows\) is attached below as all-runs\.txt/.test(b.text?.text ?? '')),
    );
    assert.deepEqual(
      filesOf(reply).map((f) => f.filename),
      ['c.png', 'all-runs.txt'],
    );
    const many = renderMessages({
      text: 'x',
      fields: Array.from({ length: 600 }, (_, i) => ({ label: `${i}`, value: 'v' })),
    });
    assert.ok(many.length > 1 && many.every((m) => m.blocks.length <= 50));
    assert.equal(
      many.flatMap((m) => m.blocks as AnyBlock[]).reduce((n, b) => n + (b.fields?.length ?? 0), 0),
      600,
      'every field, in continuation messages',
    );
  });

  it("keeps each message's block text under Slack's total: the largest tables attached first", () => {
    const table = (title: string, rows: number): Table => ({
      title,
      columns: [{ header: 'Run' }, { header: 'Loss', align: 'right' }],
      rows: Array.from({ length: rows }, (_, i) => [`run number ${i}`, (1 + i / 1000).toFixed(4)]),
    });
    const small = table('Small', 10);
    const big = table('Big', 250);
    const middle = table('Middle', 230);
    const reply: Reply = { text: 'Results', tables: [small, big, middle] };
    assert.ok(
      [small, big, middle].reduce((n, t) => n + tableText(t).length, 0) > MESSAGE_TEXT_BUDGET,
      'too much for one message together',
    );
    const messages = renderMessages(reply);
    assert.equal(messages.length, 1);
    const text = blockText((messages[0]?.blocks ?? []) as never);
    assert.ok(blocksText(messages[0]?.blocks ?? []) <= MESSAGE_TEXT_BUDGET);
    assert.match(text, /250 rows\) is attached below as big\.txt/);
    for (const line of [...tableText(middle).split('\n'), ...tableText(small).split('\n')])
      assert.ok(text.includes(line), `the others stay inline, row by row: ${line}`);
    assert.deepEqual(
      filesOf(reply).map((f) => f.filename),
      ['big.txt'],
    );
  });

  it('continues text too long for one message in further messages, split between lines', () => {
    const lines = Array.from({ length: 900 }, (_, i) => `finding ${i}: loss ${(i / 7).toFixed(6)}`);
    const messages = renderMessages({
      text: lines.join('\n'),
      buttons: [{ actionId: 'a', value: 'v', label: 'Go' }],
    });
    assert.ok(messages.length > 1);
    for (const m of messages) assert.ok(blocksText(m.blocks) <= MESSAGE_TEXT_BUDGET && m.blocks.length <= 50);
    assert.equal(messages[0]?.blocks.at(-1)?.type, 'actions', 'the controls stay on the first message');
    assert.match(messages[1]?.text ?? '', /\(continued, 2 of \d+\)$/);
    const shown = messages.flatMap((m) => m.blocks.map((b) => (b as AnyBlock).text?.text ?? '')).join('\n');
    assert.deepEqual(
      shown.split('\n').filter((l) => l.startsWith('finding')),
      lines,
      'every line, whole, in order',
    );
  });
});
