/**
 * Time spans as days: "2 weeks", "10 days", "a couple of weeks", "2-3 weeks" (read as up to 3),
 * "a week or two", "1.5 months", "half a year", "6 working days", "asap". `findDuration` finds one
 * inside a longer message.
 */
import { NUMBER_WORD_PATTERN, parseNumberWord } from './numbers';
import { err, ok, type Result } from './result';
import { cleanMessage } from './text';

export interface Span {
  /** Days available: the upper end of a range. */
  days: number;
  /** The lower end when a range was given ("2-3 weeks": 14). */
  low?: number;
  phrase: string;
}

export interface FoundSpan {
  span: Span;
  start: number;
  end: number;
}

const UNIT_DAYS: [RegExp, number][] = [
  [/^(minutes?|mins?)$/, 1 / 1440],
  [/^(hours?|hrs?|h)$/, 1 / 24],
  [/^(business|working|work) days?$/, 7 / 5],
  [/^(days?|d)$/, 1],
  [/^(weeks?|wks?|w)$/, 7],
  [/^(fortnights?)$/, 14],
  [/^(sprints?)$/, 14],
  [/^(months?|mos?|mths?)$/, 30],
  [/^(quarters?)$/, 91],
  [/^(years?|yrs?|y)$/, 365],
];

function unitDays(unit: string): number | undefined {
  return UNIT_DAYS.find(([pattern]) => pattern.test(unit))?.[1];
}

const Q = `(?:\\d+(?:\\.\\d+)?|${NUMBER_WORD_PATTERN})`;
const UNITS =
  '(?:minutes?|mins?|hours?|hrs?|(?:business|working|work) days?|days?|weeks?|wks?|fortnights?|sprints?|months?|mos?|mths?|quarters?|years?|yrs?)';
const SHORT_UNITS = '(?:h|d|w|mo|y)';

const ASAP =
  /\b(asap|a\.s\.a\.p|as soon as possible|right now|right away|immediately|urgent(?:ly)?|yesterday|straight away|at once)\b/;

/** "a week or two", "one or two weeks", "2-3 weeks", "between 2 and 3 weeks", "6 to 8 weeks". */
const RANGE = new RegExp(
  `\\b(?:between\\s+)?(${Q})\\s*(?:-|to|or|and)\\s*(${Q})\\s+(${UNITS})\\b|\\b(a|an|one)\\s+(${UNITS})\\s+or\\s+(two|three|2|3)\\b`,
);
/** "2 weeks", "a couple of weeks", "1.5 months", "half a year", "a month and a half", "3mo". */
const SINGLE = new RegExp(
  `\\b(?:(${Q})\\s*(and a half\\s+)?|(half)\\s+an?\\s+)(${UNITS})\\b(\\s+and a half)?|\\b(\\d+(?:\\.\\d+)?)(${SHORT_UNITS})\\b`,
);

function quantity(word: string | undefined): number | undefined {
  return word === undefined ? undefined : parseNumberWord(word);
}

function fromRange(m: RegExpExecArray): Span | undefined {
  if (m[4]) {
    const unit = unitDays(m[5] ?? '');
    const high = quantity(m[6]);
    return unit && high ? { days: high * unit, low: unit, phrase: m[0] } : undefined;
  }
  const unit = unitDays(m[3] ?? '');
  const low = quantity(m[1]);
  const high = quantity(m[2]);
  if (!unit || low === undefined || high === undefined || high < low) return undefined;
  return { days: high * unit, low: low * unit, phrase: m[0] };
}

function fromSingle(m: RegExpExecArray): Span | undefined {
  if (m[6]) {
    const unit = unitDays(m[7] ?? '');
    const value = quantity(m[6]);
    return unit && value !== undefined ? { days: value * unit, phrase: m[0] } : undefined;
  }
  const unit = unitDays(m[4] ?? '');
  const value = m[3] ? 0.5 : quantity(m[1] ?? 'a');
  if (!unit || value === undefined) return undefined;
  const half = m[2] || m[5] ? 0.5 : 0;
  return { days: (value + half) * unit, phrase: m[0] };
}

/** The first time span in a text ("we have two weeks" -> 14 days), with where it stands. */
export function findDuration(text: string): FoundSpan | undefined {
  const asap = ASAP.exec(text);
  if (asap)
    return { span: { days: 1, phrase: asap[0] }, start: asap.index, end: asap.index + asap[0].length };
  const range = RANGE.exec(text);
  const rangeSpan = range ? fromRange(range) : undefined;
  if (range && rangeSpan) return { span: rangeSpan, start: range.index, end: range.index + range[0].length };
  const single = SINGLE.exec(text);
  const singleSpan = single ? fromSingle(single) : undefined;
  if (single && singleSpan)
    return { span: singleSpan, start: single.index, end: single.index + single[0].length };
  return undefined;
}

function check(span: Span, input: string): Result<Span> {
  if (!(span.days > 0)) return err('the time span must be longer than zero');
  if (span.days > 3650) return err('plan horizons longer than ten years are not supported');
  if (!Number.isFinite(span.days)) return err(`"${input.trim().slice(0, 60)}" is not a time span`);
  return ok(span);
}

/** Reads a time span from an answer: the first span in it, or an error naming what is accepted. */
export function parseDurationSpan(input: string): Result<Span> {
  const text = cleanMessage(input);
  if (!text) return err('the answer is empty');
  if (/(^|\s)-\s*\d/.test(text)) return err('the time span must be longer than zero');
  const found = findDuration(text);
  if (!found) return err(`"${input.trim().slice(0, 60)}" is not a time span`);
  return check(found.span, input);
}

/** Reads a time span as days: "2 weeks", "10 days", "asap", "a month", "1.5 weeks", "within 48 hours". */
export function parseDurationDays(input: string): Result<number> {
  const span = parseDurationSpan(input);
  return span.ok ? ok(span.value.days) : span;
}
