import type { Reply, Table } from '../chat/replies';

/** Drops light markdown (*bold*, _italic_, `code`) for plain terminals and logs. */
export function stripMarkdown(text: string): string {
  return text
    .replace(/\*([^*\n]+)\*/g, '$1')
    .replace(/(^|\s)_([^_\n]+)_(?=[\s.,;:!?)]|$)/gm, '$1$2')
    .replace(/`([^`\n]+)`/g, '$1');
}

/** Fixed-width table with aligned columns. */
export function renderPlainTable(table: Table): string {
  const widths = table.columns.map((c, i) =>
    Math.max(c.header.length, ...table.rows.map((r) => (r[i] ?? '').length)),
  );
  const cell = (value: string, i: number) =>
    table.columns[i]?.align === 'right' ? value.padStart(widths[i] ?? 0) : value.padEnd(widths[i] ?? 0);
  const line = (values: string[]) =>
    table.columns
      .map((_, i) => cell(values[i] ?? '', i))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  if (table.title) out.push(table.title);
  out.push(line(table.columns.map((c) => c.header)));
  out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table.rows) out.push(line(row));
  for (const note of table.notes ?? []) out.push(`  ${note}`);
  return out.join('\n');
}

/** A whole reply as plain text; `imagePaths` are where the adapter saved the images. */
export function renderPlainReply(reply: Reply, imagePaths: string[] = []): string {
  const parts: string[] = [stripMarkdown(reply.text)];
  for (const field of reply.fields ?? []) parts.push(`  ${field.label}: ${stripMarkdown(field.value)}`);
  for (const table of reply.tables ?? []) parts.push('', renderPlainTable(table));
  const choices = (reply.buttons ?? []).map((b) => `[${b.label}]`);
  if (choices.length) parts.push(choices.join(' '));
  if (reply.select)
    parts.push(`${reply.select.placeholder}: ${reply.select.options.map((o) => o.label).join(' | ')}`);
  (reply.images ?? []).forEach((image, i) => {
    parts.push(`[image] ${imagePaths[i] ?? image.filename}: ${image.altText}`);
  });
  return parts.join('\n');
}
