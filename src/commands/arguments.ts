import { err, ok, type Result } from '../parsing/result';
import { echoed, QUOTED_MAX, quoted } from '../render/shorten';

export interface ParsedArguments {
  positional: string[];
  pairs: Map<string, string>;
}

/**
 * Splits `a b key=value key2="quoted value"` into words, honouring double and single quotes.
 * Expects text already through `normalizeCommandText` (typographic quotes made plain).
 */
export function tokenize(text: string): Result<string[]> {
  const tokens: string[] = [];
  let current = '';
  let quote: string | undefined;
  let inToken = false;
  for (const char of text.trim()) {
    if (quote) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inToken = true;
    } else if (/\s/.test(char)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += char;
      inToken = true;
    }
  }
  if (quote) return err(`unclosed quote ${quote} in "${text.trim()}"`);
  if (inToken) tokens.push(current);
  return ok(tokens);
}

/**
 * `key = value`, `key= value` and `key =value`, as people type them in chat, joined into one
 * `key=value` token. A word before `=value` is joined only when it has no `=` of its own, and
 * `key=` only with a next word that is not a pair itself (`seeds= task=x` stays an empty seeds).
 */
function joinSpacedPairs(tokens: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let token = tokens[i] ?? '';
    const next = tokens[i + 1];
    if (next?.startsWith('=') && token && !token.includes('=')) {
      token += next;
      i++;
    }
    const after = tokens[i + 1];
    if (token.endsWith('=') && token.indexOf('=') === token.length - 1 && after && !after.includes('=')) {
      token += after;
      i++;
    }
    joined.push(token);
  }
  return joined;
}

/** Separates positional words from `key=value` pairs; a repeated key is an error. */
export function parseArguments(tokens: string[]): Result<ParsedArguments> {
  const positional: string[] = [];
  const pairs = new Map<string, string>();
  for (const token of joinSpacedPairs(tokens)) {
    const eq = token.indexOf('=');
    if (eq < 0) {
      positional.push(token);
      continue;
    }
    const key = token.slice(0, eq).trim().toLowerCase();
    const value = token.slice(eq + 1).trim();
    // What the user typed is quoted back as a short excerpt, however long it was.
    const shown = echoed(key, QUOTED_MAX);
    if (!key) return err(`${quoted(token)} has no key before "="`);
    if (!value) return err(`${shown}: no value after "=" (write ${shown}=VALUE)`);
    if (pairs.has(key)) return err(`${shown}: given twice`);
    pairs.set(key, value);
  }
  return ok({ positional, pairs });
}
