import { err, ok, type Result } from './result';

const WORD_NUMBERS: Record<string, number> = {
  zero: 0,
  a: 1,
  an: 1,
  one: 1,
  single: 1,
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
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
  dozen: 12,
  couple: 2,
  'a couple': 2,
  'a couple of': 2,
  'couple of': 2,
  pair: 2,
  'a pair of': 2,
  few: 3,
  'a few': 3,
  several: 4,
  half: 0.5,
  'a half': 0.5,
};

/** Words a quantity may be written as, for building patterns ("two", "a couple of", "few"). */
export const NUMBER_WORD_PATTERN =
  'a couple of|couple of|a couple|a pair of|a few|zero|one|single|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen|couple|pair|few|several|half|an|a';

/** Reads "12", "1.5", "1,200", "two", "twenty-five", "a couple of", "few", "half" as a number. */
export function parseNumberWord(token: string): number | undefined {
  const cleaned = token.trim().toLowerCase().replace(/,/g, '').replace(/\s+/g, ' ');
  if (/^\d+(\.\d+)?$/.test(cleaned)) return Number(cleaned);
  if (/^\.\d+$/.test(cleaned)) return Number(cleaned);
  const tens =
    /^(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](one|two|three|four|five|six|seven|eight|nine)$/.exec(
      cleaned,
    );
  if (tens) return (WORD_NUMBERS[tens[1] ?? ''] ?? 0) + (WORD_NUMBERS[tens[2] ?? ''] ?? 0);
  return Object.hasOwn(WORD_NUMBERS, cleaned) ? WORD_NUMBERS[cleaned] : undefined;
}

/** A strict decimal for `key=value` arguments: rejects "", "1e", "NaN", "Infinity", "5k". */
export function parseDecimal(text: string): Result<number> {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) {
    return err(`"${text}" is not a number`);
  }
  return ok(Number(trimmed));
}

/** A whole message that is only a number ("3", "12.5", "1,000"), or undefined. */
export function bareNumber(text: string): number | undefined {
  const match = /^\s*(\d{1,9}(?:,\d{3})*(?:\.\d+)?|\.\d+)\s*$/.exec(text);
  return match ? Number((match[1] ?? '').replace(/,/g, '')) : undefined;
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
