import type { Table } from '../../../src/chat/replies';

const MAX_SLUG = 60;

/** Lowercase words joined by dashes, cut after a whole word. */
function slug(text: string): string {
  const full = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  if (full.length <= MAX_SLUG) return full || 'table';
  const cut = full.slice(0, MAX_SLUG + 1);
  return cut.slice(0, cut.lastIndexOf('-') > 0 ? cut.lastIndexOf('-') : MAX_SLUG);
}

/** The name a table travels under when it is attached as a text file (`index` counts from 0). */
export function tableFileName(table: Table, index: number): string {
  return `${slug(table.title ?? `table-${index + 1}`)}.txt`;
}
