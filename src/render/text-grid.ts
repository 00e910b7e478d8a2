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

/** Keeps a code fence from being closed early by the content: the one fence escape every adapter uses. */
export const neutralizeFences = (text: string) => text.replace(/```/g, 'ˋˋˋ');
