import type { Table } from '../chat/replies';
import { appendLines, gridBlocks, neutralizeFences } from './text-grid';

/** Discord's message content limit. */
export const DISCORD_MESSAGE_LIMIT = 2000;

/** Escapes Discord's inline markdown in plain text (outside code blocks). */
export const escapeDiscord = (text: string) => text.replace(/([\\*_~`|])/g, '\\$1');

const fence = (lines: string[]) => `\`\`\`\n${neutralizeFences(lines.join('\n'))}\n\`\`\``;

/**
 * A table as Discord markdown: the title in bold, the aligned grid in a code block, notes as
 * subtext lines (`-# `). Returns one string per message, each within `limit` characters; a long
 * table is split into several code blocks, each repeating the header.
 */
export function renderDiscordTable(table: Table, limit = DISCORD_MESSAGE_LIMIT): string[] {
  const title = table.title ? `**${escapeDiscord(table.title)}**\n` : '';
  const blocks = gridBlocks(table, limit - title.length, fence).map((block, i) =>
    i === 0 ? `${title}${block}` : block,
  );
  return appendLines(
    blocks,
    (table.notes ?? []).map((n) => `-# ${escapeDiscord(n)}`),
    limit,
  );
}
