import type { Table } from '../chat/replies';

/** The aligned lines of a table for monospace output: header, rule, rows (no title, no notes). */
export function tableGridLines(table: Table): { header: string[]; rows: string[] } {
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
  return {
    header: [line(table.columns.map((c) => c.header)), widths.map((w) => '-'.repeat(w)).join('  ')],
    rows: table.rows.map(line),
  };
}

/**
 * Groups grid lines into code blocks of at most `limit` characters each (fences included),
 * repeating the header in every block; a single over-long row still gets a block of its own.
 */
export function gridBlocks(table: Table, limit: number, fence: (lines: string[]) => string): string[] {
  const { header, rows } = tableGridLines(table);
  const blocks: string[] = [];
  let current: string[] = [];
  for (const row of rows) {
    const candidate = fence([...header, ...current, row]);
    if (current.length && candidate.length > limit) {
      blocks.push(fence([...header, ...current]));
      current = [row];
    } else {
      current.push(row);
    }
  }
  blocks.push(fence([...header, ...current]));
  return blocks;
}

/** Keeps a code fence from being closed early by the content. */
export const neutralizeFences = (text: string) => text.replace(/```/g, 'ˋˋˋ');

/** Appends lines to the last message while it stays within `limit`, starting new messages beyond. */
export function appendLines(messages: string[], lines: string[], limit: number): string[] {
  const out = [...messages];
  for (const line of lines) {
    const last = out.length - 1;
    const candidate = last >= 0 ? `${out[last]}\n${line}` : line;
    if (last >= 0 && candidate.length <= limit) out[last] = candidate;
    else out.push(line);
  }
  return out;
}
