/**
 * Amounts of US dollars as people type them: "$5k", "5000 USD", "around 2 grand", "$5-10k" (up to
 * $10k), "under 1k", "10k+", "a few thousand", "tens of thousands", "no limit", "nothing".
 * "no budget" reads two ways (no money, or no limit) and comes back as both, to ask.
 */
import { NUMBER_WORD_PATTERN, parseNumberWord } from './numbers';
import { err, ok, type Result } from './result';
import { cleanMessage } from './text';

export type Bound = 'about' | 'under' | 'over';

export interface Money {
  usd: number;
  bound: Bound;
  /** The lower end of a range ("$5-10k": 5000); `usd` is its upper end. */
  low?: number;
  /** No limit was set ("money is no object"). */
  unlimited?: boolean;
}

export type MoneyReading =
  | { kind: 'amount'; money: Money; phrase: string }
  | { kind: 'ambiguous'; phrase: string; options: { label: string; money: Money }[] }
  | { kind: 'other-currency'; phrase: string };

export interface FoundMoney {
  reading: MoneyReading;
  start: number;
  end: number;
  /** A currency sign, currency word or thousand-word marked it as money ("$", "5k", "dollars"). */
  marked: boolean;
  /** Digits, number words ("a few thousand") or a phrase without a number ("no limit"). */
  source: 'digits' | 'words' | 'phrase';
}

const MULTIPLIERS: Record<string, number> = {
  k: 1e3,
  K: 1e3,
  thousand: 1e3,
  grand: 1e3,
  m: 1e6,
  mm: 1e6,
  million: 1e6,
  mil: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
  hundred: 100,
};

const UNDER =
  '(?:under|below|less than|at most|max(?:imum)?|up to|upto|no more than|not more than|within|<=?|capped at|cap of|ceiling of)';
const OVER = '(?:over|above|more than|at least|min(?:imum)?|north of|upwards of|in excess of|>=?|beyond)';
const ABOUT = '(?:about|around|roughly|approximately|approx\\.?|~|circa|ca\\.?|like|some)';
const NUM = '\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?|\\.\\d+';
const MULT = '(?:k|thousand|grand|mm|million|mil|bn|billion|m|b)';
const CUR_AFTER = '(?:usd|us dollars?|dollars?|bucks|\\$)';

const AMOUNT = new RegExp(
  `(?:(?<word>${UNDER}|${OVER}|${ABOUT}|between)\\s*)?(?<cur1>\\$\\s*|usd\\s*)?(?<n1>${NUM})\\s*(?<mult1>${MULT})?\\b` +
    `(?:\\s*(?<joint>-|to|and)\\s*(?<cur2>\\$\\s*|usd\\s*)?(?<n2>${NUM})\\s*(?<mult2>${MULT})?\\b)?` +
    `\\s*(?<curAfter>${CUR_AFTER})?(?<plus>\\s*\\+|\\s+or (?:more|above|higher)|\\s+plus)?`,
  'g',
);

const WORDS = new RegExp(
  `\\b(?:(${UNDER}|${OVER}|${ABOUT})\\s+)?(${NUMBER_WORD_PATTERN})\\s+(?:of\\s+)?(thousand|grand|hundred|million)s?(?:\\s+(?:dollars?|bucks|usd))?\\b`,
);
const VAGUE: [RegExp, (m: RegExpExecArray) => MoneyReading][] = [
  [/\b(tens of thousands|five figures|5 figures)\b/, (m) => amount(10_000, 'over', m[0])],
  [/\b(hundreds of thousands|six figures|6 figures)\b/, (m) => amount(100_000, 'over', m[0])],
  [/\b(millions)\b/, (m) => amount(1_000_000, 'over', m[0])],
  [/\b(hundreds of dollars|a few hundred(?: dollars| bucks)?)\b/, (m) => amount(300, 'about', m[0])],
  [
    /\b(no (?:fixed |real |hard )?(?:limit|cap|ceiling)|unlimited|money is no object|whatever it takes|as much as (?:needed|it takes)|deep pockets|blank cheque|blank check)\b/,
    (m) => ({ kind: 'amount', money: { usd: 10_000, bound: 'over', unlimited: true }, phrase: m[0] }),
  ],
  [
    /\b(no budget|zero budget|budget of zero|nothing|no money|zero|free|shoestring|none)\b/,
    (m) =>
      /^(no budget)$/.test(m[0])
        ? {
            kind: 'ambiguous',
            phrase: m[0],
            options: [
              { label: 'No money set aside ($0)', money: { usd: 0, bound: 'about' } },
              { label: 'No fixed limit', money: { usd: 10_000, bound: 'over', unlimited: true } },
            ],
          }
        : amount(m[0] === 'shoestring' ? 1000 : 0, m[0] === 'shoestring' ? 'under' : 'about', m[0]),
  ],
];
const OTHER_CURRENCY = /(€|£|¥|₹|\b(?:eur|euros?|gbp|pounds?|yen|inr|rupees?|chf|francs?|cad|aud)\b)/;

function amount(usd: number, bound: Bound, phrase: string, low?: number): MoneyReading {
  return { kind: 'amount', money: { usd, bound, ...(low !== undefined ? { low } : {}) }, phrase };
}

function boundOf(word: string | undefined, plus: string | undefined): Bound {
  if (plus) return 'over';
  if (!word) return 'about';
  if (new RegExp(`^${UNDER}$`).test(word)) return 'under';
  if (new RegExp(`^${OVER}$`).test(word)) return 'over';
  return 'about';
}

const number = (digits: string | undefined) => Number((digits ?? '').replace(/,/g, ''));

/** Every amount in a text, with whether something marked it as money. */
function amounts(text: string): FoundMoney[] {
  const out: FoundMoney[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const start = m.index ?? 0;
    if (/[\p{L}\d.]/u.test(text.charAt(start - 1))) continue;
    const g = m.groups ?? {};
    const isRange =
      g.n2 !== undefined &&
      (g.joint !== 'and' || g.word === 'between') &&
      !(g.mult1 && !g.mult2 && g.joint === 'and');
    const mult2 = isRange ? g.mult2 : undefined;
    // "7b" is a model and "2m" a length unless a currency marks them.
    if (g.mult1 && /^(m|b)$/.test(g.mult1) && !g.cur1 && !g.curAfter) continue;
    const unit2 = mult2 ? (MULTIPLIERS[mult2] ?? 1) : 1;
    const unit1 = g.mult1 ? (MULTIPLIERS[g.mult1] ?? 1) : isRange ? unit2 : 1;
    const first = number(g.n1) * unit1;
    const second = isRange ? number(g.n2) * unit2 : undefined;
    const marked = Boolean(g.cur1 || g.curAfter || g.mult1 || (isRange && (g.cur2 || mult2)));
    const end =
      isRange || g.n2 === undefined
        ? start + m[0].length
        : start + m[0].indexOf(g.n1 ?? '') + (g.n1 ?? '').length + (g.mult1?.length ?? 0);
    const phrase = text.slice(start, end).trim();
    const reading =
      second !== undefined && second >= first
        ? amount(second, 'under', phrase, first)
        : amount(first, boundOf(g.word === 'between' ? undefined : g.word, g.plus), phrase);
    if (reading.kind === 'amount' && !Number.isFinite(reading.money.usd)) continue;
    out.push({ reading, start, end, marked, source: 'digits' });
  }
  return out;
}

/** The money phrase in a text: marked amounts first, then number words, then vague phrases. */
export function findMoney(text: string): FoundMoney | undefined {
  const other = OTHER_CURRENCY.exec(text);
  if (other && /\d/.test(text))
    return {
      reading: { kind: 'other-currency', phrase: other[0] },
      start: other.index,
      end: other.index + other[0].length,
      marked: true,
      source: 'digits',
    };
  const all = amounts(text);
  const marked = all.find((a) => a.marked);
  if (marked) return marked;
  const words = WORDS.exec(text);
  if (words) {
    const count = parseNumberWord(words[2] ?? '') ?? 1;
    const unit = MULTIPLIERS[words[3] ?? ''] ?? 1;
    return {
      reading: amount(count * unit, boundOf(words[1], undefined), words[0]),
      start: words.index,
      end: words.index + words[0].length,
      marked: true,
      source: 'words',
    };
  }
  for (const [pattern, read] of VAGUE) {
    const m = pattern.exec(text);
    if (m)
      return { reading: read(m), start: m.index, end: m.index + m[0].length, marked: true, source: 'phrase' };
  }
  return all[0];
}

/**
 * Reads an amount of US dollars from an answer: "$5k", "5000 USD", "about $5k", "under 1k",
 * "over $10,000", "2.5 million", "1-3k" (up to 3k), "around 2 grand". Errors say what is accepted.
 */
export function parseMoneyReading(input: string): Result<MoneyReading> {
  const text = cleanMessage(input);
  if (!text) return err('the answer is empty');
  if (/(^|[^\d\w])-\s*\$?\d/.test(text) && !/\d\s*-\s*\$?\d/.test(text))
    return err('a budget cannot be negative');
  const found = findMoney(text);
  if (!found) return err(`no amount found in "${input.trim().slice(0, 60)}"`);
  if (found.reading.kind === 'other-currency')
    return err('amounts are read in US dollars: write it as e.g. "$5k" or "5000 USD"');
  return ok(found.reading);
}

/** An amount as `{usd, bound}`; a two-way phrase ("no budget") is an error here. */
export function parseMoney(input: string): Result<Money> {
  const reading = parseMoneyReading(input);
  if (!reading.ok) return reading;
  if (reading.value.kind !== 'amount') return err(`"${input.trim()}" reads more than one way`);
  return ok(reading.value.money);
}

export function formatUsd(value: number, digits = 2): string {
  const sign = value < 0 ? '-' : '';
  return `${sign}$${Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/** "$5,000", "up to $10,000", "over $10,000", "$5,000 to $10,000". */
export function describeMoney(money: Money): string {
  if (money.unlimited) return 'No fixed limit';
  if (money.low !== undefined) return `${formatUsd(money.low, 0)} to ${formatUsd(money.usd, 0)}`;
  const prefix = money.bound === 'under' ? 'under ' : money.bound === 'over' ? 'over ' : '';
  return `${prefix}${formatUsd(money.usd, 0)}`;
}
