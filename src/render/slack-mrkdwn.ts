import type { Table } from '../chat/replies';
import { appendLines, gridBlocks, neutralizeFences } from './text-grid';

/** Slack's section text limit. */
export const SLACK_TEXT_LIMIT = 3000;

/** Slack's three control characters, escaped as its docs require (also inside code blocks). */
export const escapeSlack = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const fence = (lines: string[]) => `\`\`\`\n${escapeSlack(neutralizeFences(lines.join('\n')))}\n\`\`\``;

/**
 * A table as Slack mrkdwn: the title in bold, the aligned grid in a code block, notes as bullet
 * lines. Returns one string per section, each within `limit` characters; a long table is split
 * into several code blocks, each repeating the header.
 */
export function renderSlackTable(table: Table, limit = SLACK_TEXT_LIMIT): string[] {
  const title = table.title ? `*${escapeSlack(table.title)}*\n` : '';
  const blocks = gridBlocks(table, limit - title.length, fence).map((block, i) =>
    i === 0 ? `${title}${block}` : block,
  );
  return appendLines(
    blocks,
    (table.notes ?? []).map((n) => `• ${escapeSlack(n)}`),
    limit,
  );
}
