import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filesOf } from '../../../bots/slack/post/uploads';
import { renderReply } from '../../../bots/slack/render/blocks';
import { neutralActionId } from '../../../bots/slack/render/controls';
import { chunkLines, toMrkdwn } from '../../../bots/slack/render/mrkdwn';
import type { Reply } from '../../../src/chat/replies';

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
    assert.ok(blocksOf(reply).some((b) => /attached as a text file/.test(b.text?.text ?? '')));
    assert.deepEqual(
      filesOf(reply).map((f) => f.filename),
      ['c.png', 'all-runs.txt'],
    );
    const many = blocksOf({
      text: 'x',
      fields: Array.from({ length: 600 }, (_, i) => ({ label: `${i}`, value: 'v' })),
    });
    assert.ok(many.length <= 50);
  });
});
