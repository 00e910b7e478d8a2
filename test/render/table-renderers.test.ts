import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Table } from '../../src/chat/replies';
import { renderPlainTable } from '../../src/render/plain-text';
import { neutralizeFences, tableGridLines } from '../../src/render/text-grid';

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

describe('code fences', () => {
  it('one escape keeps a fence in a cell from closing any adapter\u2019s code block', () => {
    assert.equal(neutralizeFences('a```b```c').includes('```'), false);
  });
});
