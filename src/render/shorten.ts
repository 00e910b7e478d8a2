/**
 * Cutting text to a platform's limit without breaking what it says: at a line break or a space
 * when one is near, never inside a number or a word when avoidable, always marked with an ellipsis.
 */

/** Whole lines, or whole words, are kept when the cut would lose no more than this share. */
const KEEP_SHARE = 0.6;

/** `text` in at most `max` characters; a cut ends in "…". */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  const room = text.slice(0, max - 1);
  const line = room.lastIndexOf('\n');
  if (line >= max * KEEP_SHARE) return `${room.slice(0, line)}\n…`.slice(0, max);
  const space = room.search(/\s\S*$/);
  if (space >= max * KEEP_SHARE) return `${room.slice(0, space).trimEnd()}…`;
  return `${room}…`;
}

/** User-typed text quoted back to its author (a command, an answer): a short, marked excerpt. */
export const ECHO_MAX = 300;

export function echoed(text: string, max = ECHO_MAX): string {
  return shorten(text.replace(/\s+/g, ' ').trim(), max);
}

/** A value the user typed, quoted inside an error message: never more than a short excerpt. */
export const QUOTED_MAX = 80;

export function quoted(raw: string): string {
  return `"${echoed(raw, QUOTED_MAX)}"`;
}
