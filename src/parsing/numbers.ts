import { err, ok, type Result } from './result';

const WORD_NUMBERS: Record<string, number> = {
  zero: 0,
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  fifty: 50,
  hundred: 100,
  couple: 2,
  few: 3,
  half: 0.5,
};

/** Reads "12", "1.5", "1,200", "two", "a", "half" as a number. */
export function parseNumberWord(token: string): number | undefined {
  const cleaned = token.trim().toLowerCase().replace(/,/g, '');
  if (/^\d+(\.\d+)?$/.test(cleaned)) return Number(cleaned);
  return WORD_NUMBERS[cleaned];
}

/** A strict decimal for `key=value` arguments: rejects "", "1e", "NaN", "Infinity", "5k". */
export function parseDecimal(text: string): Result<number> {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) {
    return err(`"${text}" is not a number`);
  }
  return ok(Number(trimmed));
}

/** Lower-case, trim, drop trailing punctuation and filler so "Yes!" and "yes please" compare simply. */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[.!?,;]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
