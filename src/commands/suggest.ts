/**
 * "Did you mean …?" for a name typed in chat that is not one Faceoff knows: the accepted names
 * closest by edit distance (fastest-levenshtein), else the names that have the typed word as one of
 * their snake_case parts (`steps` for max_steps) or, failing that, as their only prefix. Nothing is
 * suggested for text far from every name, or too long to be a name.
 */
import { distance } from 'fastest-levenshtein';

/** Longer text is not a mistyped name (and is not worth measuring against every name). */
const MAX_TYPED = 40;

/** More names than this holding the typed word say nothing about which was meant. */
const MAX_SUGGESTED = 3;

/** Edits a typo may hold: one in a word of up to 3 letters, two up to 8, three beyond. */
function allowedEdits(length: number): number {
  return length <= 3 ? 1 : length <= 8 ? 2 : 3;
}

/**
 * The accepted names that `typed` most likely meant, best first; empty when none is close. Tried in
 * turn: one edit away (`seed`, `atention`); the typed word as whole parts of a snake_case name
 * (`steps` in max_steps, `batch` in batch_size); a few more edits; the word anywhere in a name.
 */
export function closestNames(typed: string, names: readonly string[]): string[] {
  const word = typed
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (word.length < 2 || word.length > MAX_TYPED) return [];
  const lower = names.map((name) => ({ name, text: name.toLowerCase() }));
  const exact = lower.filter((n) => n.text === word);
  if (exact.length) return exact.map((n) => n.name);
  // In a short word a changed first letter is another word more often than a typo (`dora`).
  const candidates = word.length <= 4 ? lower.filter((n) => n.text[0] === word[0]) : lower;
  const scored = candidates.map((n) => ({ ...n, edits: distance(word, n.text) }));
  const fewest = Math.min(...scored.map((s) => s.edits));
  const nearest = scored.filter((s) => s.edits === fewest).map((s) => s.name);
  if (fewest === 1) return nearest;
  const few = (found: { name: string }[]) => (found.length <= MAX_SUGGESTED ? found.map((n) => n.name) : []);
  if (word.length >= 3) {
    const asParts = few(lower.filter((n) => `_${n.text}_`.includes(`_${word}_`)));
    if (asParts.length) return asParts;
  }
  if (fewest <= allowedEdits(word.length)) return nearest;
  return word.length >= 3 ? few(lower.filter((n) => n.text.includes(word))) : [];
}

/** The close names as one phrase (`max_steps`, `lora or full`), for "did you mean …?"; undefined when none is. */
export function suggestion(typed: string, names: readonly string[]): string | undefined {
  const close = closestNames(typed, names).slice(0, MAX_SUGGESTED);
  if (!close.length) return undefined;
  return close.length === 1 ? close[0] : `${close.slice(0, -1).join(', ')} or ${close.at(-1)}`;
}

/** `; did you mean max_steps?` to put after an error's subject, or '' when nothing is close. */
export function didYouMean(typed: string, names: readonly string[]): string {
  const close = suggestion(typed, names);
  return close ? `; did you mean ${close}?` : '';
}
