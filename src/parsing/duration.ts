import { normalise, parseNumberWord } from './numbers';
import { err, ok, type Result } from './result';

const UNIT_DAYS: [RegExp, number][] = [
  [/^(hours?|hrs?|h)$/, 1 / 24],
  [/^(days?|d)$/, 1],
  [/^(weeks?|wks?|w)$/, 7],
  [/^(months?|mos?)$/, 30],
  [/^(quarters?)$/, 91],
  [/^(years?|yrs?|y)$/, 365],
];

const ASAP = /^(asap|as soon as possible|now|right now|immediately|urgent(ly)?|yesterday)$/;
const FIXED: Record<string, number> = {
  today: 1,
  tomorrow: 1,
  'this week': 7,
  'next week': 14,
  'this month': 30,
  'next month': 60,
};
const SPAN = /(?:^|\s)(\d+(?:\.\d+)?|[a-z]+)?\s*(and a half\s+)?-?\s*([a-z]+)$/;

function unitDays(unit: string): number | undefined {
  return UNIT_DAYS.find(([pattern]) => pattern.test(unit))?.[1];
}

/** Reads a time span as days: "2 weeks", "10 days", "asap", "a month", "1.5 weeks", "within 48 hours". */
export function parseDurationDays(input: string): Result<number> {
  const text = normalise(input).replace(/^(in|within|under|less than|about|around|roughly|by|max)\s+/, '');
  if (!text) return err('the answer is empty');
  if (ASAP.test(text)) return ok(1);
  if (/^-\s*\d/.test(text)) return err('the time span must be longer than zero');
  const fixed = FIXED[text];
  if (fixed !== undefined) return ok(fixed);
  const compact = text.replace(/^(\d+(?:\.\d+)?)([a-z]+)$/, '$1 $2');
  const match = SPAN.exec(compact);
  const unit = match ? unitDays(match[3] ?? '') : undefined;
  if (!match || unit === undefined) return err(`"${input.trim()}" is not a time span`);
  const quantity = match[1] === undefined ? 1 : parseNumberWord(match[1]);
  if (quantity === undefined) return err(`"${input.trim()}" is not a time span`);
  const days = (quantity + (match[2] ? 0.5 : 0)) * unit;
  if (days <= 0) return err('the time span must be longer than zero');
  if (days > 3650) return err('plan horizons longer than ten years are not supported');
  return ok(days);
}
