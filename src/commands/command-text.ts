/**
 * Command text as people type it in chat, read one way everywhere: compatibility forms folded
 * (fullwidth letters, ligatures, non-breaking spaces), invisible format characters dropped
 * (zero-width spaces and joiners, direction marks, byte-order marks), typographic quotes made plain.
 * The router, the permission check and the adapters' thread decisions all read the same result.
 */
const FORMAT_CHARACTERS = /\p{Cf}/gu;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e\u301f]/g;
const SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u2032\u2039\u203a]/g;
const PREFIX = /^\/?faceoff\b/i;

export const COMMAND_PREFIX = '/faceoff';
/** A button whose value is a command (`decide job=abc1234`): pressing it runs that command. */
export const RUN_COMMAND_ACTION = 'faceoff:run';

export function normalizeCommandText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(FORMAT_CHARACTERS, '')
    .replace(DOUBLE_QUOTES, '"')
    .replace(SINGLE_QUOTES, "'")
    .trim();
}

/** True for a typed message that is a command (`faceoff compare ...`, `/faceoff jobs`). */
export function isCommandText(text: string): boolean {
  return PREFIX.test(normalizeCommandText(text));
}

/** The normalised text without the leading `/faceoff` or `faceoff`. */
export function withoutPrefix(text: string): string {
  return normalizeCommandText(text).replace(PREFIX, '').trim();
}

/** A typed subcommand name as the router looks it up: lower case, trailing punctuation dropped. */
export function subcommandName(word: string): string {
  return word.toLowerCase().replace(/[.,;:!?\u2026]+$/u, '');
}
