import { normalise } from './numbers';
import { err, ok, type Result } from './result';

export type Bound = 'about' | 'under' | 'over';

export interface Money {
  usd: number;
  bound: Bound;
}

const MULTIPLIERS: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  grand: 1e3,
  m: 1e6,
  mm: 1e6,
  million: 1e6,
  mil: 1e6,
};

const UNDER = /\b(under|below|less than|at most|max(imum)?|up to|no more than|<|<=)\s*/;
const OVER = /\b(over|above|more than|at least|min(imum)?|>|>=)\s*|\+$/;
const NONE = /^(none|nothing|zero|no budget|\$?0)$/;
const OTHER_CURRENCY = /(€|£|¥|\beur\b|\beuros?\b|\bgbp\b|\bpounds?\b|\byen\b)/;

/**
 * Reads an amount of US dollars from free text: "$5k", "5000 USD", "about $5k", "under 1k",
 * "over $10,000", "2.5 million", "1-3k" (upper end). Returns the amount and whether it is a bound.
 */
export function parseMoney(input: string): Result<Money> {
  const text = normalise(input).replace(/^(about|around|roughly|approximately|approx|~|circa)\s*/, '');
  if (!text) return err('the answer is empty');
  if (NONE.test(text)) return ok({ usd: 0, bound: 'about' });
  if (OTHER_CURRENCY.test(text))
    return err('amounts are read in US dollars: write it as e.g. "$5k" or "5000 USD"');
  if (/-\s*\$?\d/.test(text) && !/\d\s*-\s*\$?\d/.test(text)) return err('a budget cannot be negative');
  const bound: Bound = UNDER.test(text) ? 'under' : OVER.test(text) ? 'over' : 'about';
  const pattern = /\$?\s*(\d[\d,]*(?:\.\d+)?)\s*(k|thousand|grand|mm|m|million|mil)?\b/g;
  const amounts: number[] = [];
  for (const match of text.matchAll(pattern)) {
    const digits = (match[1] ?? '').replace(/,/g, '');
    const multiplier = match[2] ? (MULTIPLIERS[match[2]] ?? 1) : 1;
    amounts.push(Number(digits) * multiplier);
  }
  if (amounts.length === 0) return err(`no amount found in "${input.trim()}"`);
  // A range such as "1-3k" carries its unit on the last number only.
  const range = /(\d[\d.,]*)\s*(?:-|to)\s*\$?(\d[\d.,]*)\s*(k|thousand|m|million)?/.exec(text);
  if (range && amounts.length >= 1) {
    const unit = range[3] ? (MULTIPLIERS[range[3]] ?? 1) : 1;
    const high = Number((range[2] ?? '').replace(/,/g, '')) * unit;
    return ok({ usd: high, bound: 'under' });
  }
  const usd = Math.max(...amounts);
  if (!Number.isFinite(usd)) return err(`"${input.trim()}" is not an amount`);
  return ok({ usd, bound });
}

export function formatUsd(value: number, digits = 2): string {
  const sign = value < 0 ? '-' : '';
  return `${sign}$${Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}
