import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Table } from '../../src/chat/replies';
import { renderDiscordTable } from '../../src/render/discord-markdown';
import { renderPlainTable } from '../../src/render/plain-text';
import { renderSlackTable } from '../../src/render/slack-mrkdwn';
import { tableGridLines } from '../../src/render/text-grid';

const table: Table = {
  title: 'Results <a & b>',
  columns: [{ header: 'Metric' }, { header: 'LoRA', align: 'right' }, { header: 'Full FT', align: 'right' }],
  rows: [
    ['exact_match', '0.412 ± 0.018', '0.5 ± n/a (1 seed)'],
    ['val loss `x`', '1.2', '0.9'],
  ],
  notes: ['± is half the 95% interval', 'a_b and *c*'],
};

describe('table grid', () => {
  it('aligns like the plain-text renderer (right-aligned numbers)', () => {
    const { header, rows } = tableGridLines(table);
    const plain = renderPlainTable(table).split('\n');
    assert.deepEqual([...header, ...rows], plain.slice(1, 5));
    assert.equal(rows[1], 'val loss `x`            1.2                 0.9');
  });
});

describe('Slack mrkdwn', () => {
  const [first, ...rest] = renderSlackTable(table);
  it('bold title, grid in a code block, notes as bullets, &<> escaped', () => {
    assert.ok(first);
    assert.ok(first.startsWith('*Results &lt;a &amp; b&gt;*\n```\nMetric'));
    assert.match(first, /0\.412 ± 0\.018 {2}0\.5 ± n\/a \(1 seed\)/);
    assert.match(first, /```\n• ± is half the 95% interval\n• a_b and \*c\*$/);
    assert.equal(rest.length, 0);
  });
  it('splits long tables into sections within the limit, each with the header', () => {
    const long: Table = {
      ...table,
      rows: Array.from({ length: 200 }, (_, i) => [`metric ${i}`, '0.1', '0.2']),
    };
    const sections = renderSlackTable(long, 1000);
    assert.ok(sections.length > 3);
    for (const s of sections) assert.ok(s.length <= 1000, `${s.length}`);
    for (const s of sections.filter((x) => x.includes('```'))) assert.match(s, /```\nMetric/);
    const rows = sections.join('\n').match(/^metric \d+/gm) ?? [];
    assert.equal(rows.length, 200);
  });
});

describe('Discord markdown', () => {
  const [first] = renderDiscordTable(table);
  it('bold title, grid in a code block, notes as escaped subtext', () => {
    assert.ok(first);
    assert.ok(first.startsWith('**Results <a & b>**\n```\nMetric'));
    assert.match(first, /-# a\\_b and \\\*c\\\*$/);
  });
  it('keeps a fence in a cell from closing the block', () => {
    const fenced = renderDiscordTable({ columns: [{ header: 'x' }], rows: [['```oops```']] })[0] ?? '';
    assert.equal(fenced.match(/```/g)?.length, 2);
  });
  it('stays within 2000 characters per message', () => {
    const long: Table = {
      ...table,
      rows: Array.from({ length: 300 }, (_, i) => [`metric ${i}`, '0.1', '0.2']),
    };
    const messages = renderDiscordTable(long);
    for (const m of messages) assert.ok(m.length <= 2000);
    assert.equal((messages.join('\n').match(/^metric \d+/gm) ?? []).length, 300);
  });
});
