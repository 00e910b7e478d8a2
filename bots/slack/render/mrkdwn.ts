/**
 * The core's light markdown (*bold*, _italic_, `code`, line breaks) is Slack mrkdwn already; what
 * remains is escaping the three characters Slack treats as control sequences, and cutting text to
 * Block Kit's limits at line boundaries.
 */
import { neutralizeFences } from '../../../src/render/text-grid';

/** Escapes &, < and >; a `>` that starts a line stays, so quoted lines keep rendering as quotes. */
export function toMrkdwn(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const quote = /^>\s?/.exec(line)?.[0] ?? '';
      const rest = line
        .slice(quote.length)
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;');
      return quote + rest;
    })
    .join('\n');
}

/**
 * `text` as code blocks of at most `max` characters each, split at line boundaries: escaped, and
 * a fence inside it cannot end a block early.
 */
export function codeBlocks(text: string, max: number): string[] {
  return chunkLines(escapeText(neutralizeFences(text)), max - 8).map((chunk) => `\`\`\`\n${chunk}\n\`\`\``);
}

/** Escapes text for plain_text fields and code blocks (no quote handling). */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts a string to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Splits text into chunks of at most `max` characters, preferring line boundaries. */
export function chunkLines(text: string, max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const pieces = line.length > max ? (line.match(new RegExp(`[\\s\\S]{1,${max}}`, 'g')) ?? ['']) : [line];
    for (const piece of pieces) {
      const next = current ? `${current}\n${piece}` : piece;
      if (next.length > max && current) {
        chunks.push(current);
        current = piece;
      } else {
        current = next;
      }
    }
  }
  if (current || chunks.length === 0) chunks.push(current);
  return chunks;
}
