import type { Reply, Table } from '../chat/replies';
import { formatBytes } from '../format/units';
import { tableGridLines } from './text-grid';

/** Drops light markdown (*bold*, _italic_, `code`) for plain terminals and logs. */
export function stripMarkdown(text: string): string {
  return text
    .replace(/\*([^*\n]+)\*/g, '$1')
    .replace(/(^|\s)_([^_\n]+)_(?=[\s.,;:!?)]|$)/gm, '$1$2')
    .replace(/`([^`\n]+)`/g, '$1');
}

/** Fixed-width table with aligned columns, its title above and notes below. */
export function renderPlainTable(table: Table): string {
  const { header, rows } = tableGridLines(table);
  return [
    ...(table.title ? [table.title] : []),
    ...header,
    ...rows,
    ...(table.notes ?? []).map((n) => `  ${n}`),
  ].join('\n');
}

/**
 * A whole reply as plain text; `imagePaths` and `filePaths` are where the adapter saved the images
 * and copied the files.
 */
export function renderPlainReply(reply: Reply, imagePaths: string[] = [], filePaths: string[] = []): string {
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
  (reply.files ?? []).forEach((file, i) => {
    const title = file.title ? `: ${file.title}` : '';
    parts.push(`[file] ${filePaths[i] ?? file.filename} (${formatBytes(file.bytes)})${title}`);
  });
  return parts.join('\n');
}
