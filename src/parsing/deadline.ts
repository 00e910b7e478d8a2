/**
 * Deadlines as days from a given clock: "by Friday", "next Tuesday", "end of the month", "by the
 * end of the quarter", "Q3", "end of year", "by March 15", "mid-April", "2026-03-01", "tomorrow".
 * Dates are calendar days in UTC; a deadline names the end of its day. Numeric dates that read
 * two ways (3/4) come back as both, to ask.
 */
import { err, ok, type Result } from './result';
import { cleanMessage } from './text';

export interface Deadline {
  /** The deadline's date (UTC midnight). */
  date: Date;
  /** Whole days from the clock's day to the deadline's. */
  days: number;
  phrase: string;
}

export type DeadlineReading =
  | { kind: 'date'; deadline: Deadline }
  | { kind: 'ambiguous'; phrase: string; options: Deadline[] }
  | { kind: 'past'; phrase: string; date: Date };

export interface FoundDeadline {
  reading: DeadlineReading;
  start: number;
  end: number;
}

const DAY_MS = 86_400_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const WEEKDAY_SHORT: Record<string, number> = {
  sun: 0,
  mon: 1,
  tue: 2,
  tues: 2,
  wed: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  fri: 5,
  sat: 6,
};
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_SHORT: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  sept: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

const utcDay = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
const dateOf = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));
const lastOfMonth = (y: number, m: number) => dateOf(y, m + 1, 0);

function weekday(word: string): number | undefined {
  const full = WEEKDAYS.indexOf(word);
  return full >= 0 ? full : Object.hasOwn(WEEKDAY_SHORT, word) ? WEEKDAY_SHORT[word] : undefined;
}

function month(word: string): number | undefined {
  const full = MONTHS.indexOf(word);
  return full >= 0 ? full : Object.hasOwn(MONTH_SHORT, word) ? MONTH_SHORT[word] : undefined;
}

function reading(now: Date, date: Date, phrase: string): DeadlineReading {
  const days = Math.round((date.getTime() - utcDay(now)) / DAY_MS);
  if (days < 0) return { kind: 'past', phrase, date };
  return { kind: 'date', deadline: { date, days: Math.max(days, 1), phrase } };
}

type Rule = [RegExp, (m: RegExpExecArray, now: Date) => DeadlineReading | undefined];

const WEEKDAY_WORDS = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday';
const WEEKDAY_ABBR = 'mon|tues?|wed|thu(?:rs?)?|fri|sat|sun';
const MONTH_WORDS = 'january|february|march|april|june|july|august|september|october|november|december';
const MONTH_ABBR = 'jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec';
const BY = '(?:by|before|until|till|due|on|for|no later than|deadline(?: is)?)';

function nextWeekday(now: Date, target: number, next: boolean): Date {
  const today = now.getUTCDay();
  let ahead = (target - today + 7) % 7;
  if (ahead === 0) ahead = 7;
  if (next && ahead < 7) ahead += 7;
  return new Date(utcDay(now) + ahead * DAY_MS);
}

function endOfQuarter(now: Date, offset: number): Date {
  const quarter = Math.floor(now.getUTCMonth() / 3) + offset;
  const year = now.getUTCFullYear() + Math.floor(quarter / 4);
  return lastOfMonth(year, (quarter % 4) * 3 + 2);
}

/** A month and day with no year: this year's, or next year's once it has passed. */
function upcoming(now: Date, m: number, d: number | 'end', year?: number): Date {
  const build = (y: number) => (d === 'end' ? lastOfMonth(y, m) : dateOf(y, m, d));
  if (year !== undefined) return build(year);
  const thisYear = build(now.getUTCFullYear());
  return thisYear.getTime() < utcDay(now) ? build(now.getUTCFullYear() + 1) : thisYear;
}

const RULES: Rule[] = [
  [
    /\b(?:(?:by |before )?(?:eod |end of (?:the )?day |cob )?)tomorrow\b/,
    (m, now) => reading(now, new Date(utcDay(now) + DAY_MS), m[0]),
  ],
  [
    /\b(?:(?:by|before|until|for)\s+)?(christmas|xmas|new year'?s?(?: eve)?)\b/,
    (m, now) => reading(now, upcoming(now, 11, /^new/.test(m[1] ?? '') ? 31 : 25), m[0]),
  ],
  [
    /\b(today|tonight|eod|end of (?:the )?day|by close of business|cob)\b/,
    (m, now) => reading(now, new Date(utcDay(now)), m[0]),
  ],
  [
    /\b(?:(?:by |before |until )?(?:the )?end of (?:the |this )?(week|month|quarter|year|sprint)|(?:this )?(week|month|quarter|year)[- ]end|eo(w|m|q|y))\b/,
    (m, now) => {
      const unit = m[1] ?? m[2] ?? { w: 'week', m: 'month', q: 'quarter', y: 'year' }[m[3] ?? ''];
      const y = now.getUTCFullYear();
      if (unit === 'week') return reading(now, nextWeekday(now, 5, false), m[0]);
      if (unit === 'sprint') return reading(now, new Date(utcDay(now) + 14 * DAY_MS), m[0]);
      if (unit === 'month') return reading(now, lastOfMonth(y, now.getUTCMonth()), m[0]);
      if (unit === 'quarter') return reading(now, endOfQuarter(now, 0), m[0]);
      return reading(now, dateOf(y, 11, 31), m[0]);
    },
  ],
  [/\b(this|next) week\b/, (m, now) => reading(now, nextWeekday(now, 5, m[1] === 'next'), m[0])],
  [
    /\b(?:(?:by |before |until )?(?:the )?end of )?next (month|quarter|year)\b/,
    (m, now) => {
      const y = now.getUTCFullYear();
      if (m[1] === 'month') return reading(now, lastOfMonth(y, now.getUTCMonth() + 1), m[0]);
      if (m[1] === 'quarter') return reading(now, endOfQuarter(now, 1), m[0]);
      return reading(now, dateOf(y + 1, 11, 31), m[0]);
    },
  ],
  [
    /\b(?:(by|before|until|in|during|end of|by the end of|by end of)\s+)?q([1-4])(?:\s+(20\d\d))?\b/,
    (m, now) => {
      const q = Number(m[2]) - 1;
      const startsBy = m[1] === 'by' || m[1] === 'before' || m[1] === 'until';
      const year = m[3] ? Number(m[3]) : now.getUTCFullYear();
      const date = startsBy ? dateOf(year, q * 3, 1) : lastOfMonth(year, q * 3 + 2);
      if (!m[3] && date.getTime() < utcDay(now))
        return reading(now, startsBy ? dateOf(year + 1, q * 3, 1) : lastOfMonth(year + 1, q * 3 + 2), m[0]);
      return reading(now, date, m[0]);
    },
  ],
  [
    new RegExp(
      `\\b(next|this|coming|by|before|until|on|for|due)?\\s*(${WEEKDAY_WORDS})\\b|\\b(next|this|coming|by|before|until|on|due)\\s+(${WEEKDAY_ABBR})\\b`,
    ),
    (m, now) => {
      const day = weekday(m[2] ?? m[4] ?? '');
      if (day === undefined) return undefined;
      return reading(now, nextWeekday(now, day, (m[1] ?? m[3]) === 'next'), m[0].trim());
    },
  ],
  [
    /\b(20\d\d)-(\d{1,2})-(\d{1,2})\b/,
    (m, now) => {
      const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
      if (mo > 11 || d < 1 || d > 31) return undefined;
      return reading(now, dateOf(y, mo, d), m[0]);
    },
  ],
  [
    new RegExp(
      `\\b(?:(?:${BY}|in|end of|by the end of|by end of|mid|mid-|early|late)\\s*)?(${MONTH_WORDS}|${MONTH_ABBR}|may)\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s*(20\\d\\d))?\\b|\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTH_WORDS}|${MONTH_ABBR}|may)(?:,?\\s*(20\\d\\d))?\\b`,
    ),
    (m, now) => {
      const mo = month(m[1] ?? m[5] ?? '');
      const d = Number(m[2] ?? m[4]);
      const year = m[3] ?? m[6];
      if (mo === undefined || d < 1 || d > 31) return undefined;
      return reading(now, upcoming(now, mo, d, year ? Number(year) : undefined), m[0]);
    },
  ],
  [
    new RegExp(
      `\\b(${BY}|in|end of|by the end of|by end of|mid|mid-|early|late)\\s*(${MONTH_WORDS}|${MONTH_ABBR}|may)(?:\\s+(20\\d\\d))?\\b|\\b(${MONTH_WORDS})\\b`,
    ),
    (m, now) => {
      const mo = month(m[2] ?? m[4] ?? '');
      if (mo === undefined) return undefined;
      const how = m[1] ?? 'in';
      const day: number | 'end' = /^(mid|mid-)$/.test(how)
        ? 15
        : how === 'early'
          ? 7
          : how === 'by' || how === 'before'
            ? 1
            : 'end';
      return reading(now, upcoming(now, mo, day, m[3] ? Number(m[3]) : undefined), m[0]);
    },
  ],
  [
    /\b(?:by|before|until|on|due)\s+(\d{1,2})\/(\d{1,2})(?:\/(\d{2,4}))?\b|^(\d{1,2})\/(\d{1,2})(?:\/(\d{2,4}))?$/,
    (m, now) => {
      const a = Number(m[1] ?? m[4]);
      const b = Number(m[2] ?? m[5]);
      const rawYear = m[3] ?? m[6];
      const year = rawYear ? (rawYear.length === 2 ? 2000 + Number(rawYear) : Number(rawYear)) : undefined;
      const asMonthDay = a >= 1 && a <= 12 && b >= 1 && b <= 31 ? upcoming(now, a - 1, b, year) : undefined;
      const asDayMonth = b >= 1 && b <= 12 && a >= 1 && a <= 31 ? upcoming(now, b - 1, a, year) : undefined;
      const options = [asMonthDay, asDayMonth].filter((d): d is Date => d !== undefined);
      if (options.length === 0) return undefined;
      if (options.length === 1 || options[0]?.getTime() === options[1]?.getTime())
        return reading(now, options[0] as Date, m[0]);
      const readings = options.map((d) => reading(now, d, m[0]));
      const dates = readings.flatMap((r) => (r.kind === 'date' ? [r.deadline] : []));
      if (dates.length === 1) return { kind: 'date', deadline: dates[0] as Deadline };
      if (dates.length === 0) return readings[0];
      return { kind: 'ambiguous', phrase: m[0], options: dates };
    },
  ],
];

/** The first deadline in a text, read against `now`. */
export function findDeadline(text: string, now: Date): FoundDeadline | undefined {
  let best: FoundDeadline | undefined;
  for (const [pattern, read] of RULES) {
    const match = pattern.exec(text);
    if (!match) continue;
    const result = read(match, now);
    if (!result) continue;
    if (!best || match.index < best.start)
      best = { reading: result, start: match.index, end: match.index + match[0].length };
  }
  return best;
}

export function parseDeadline(input: string, now: Date): Result<DeadlineReading> {
  const found = findDeadline(cleanMessage(input), now);
  return found ? ok(found.reading) : err(`"${input.trim().slice(0, 60)}" is not a date`);
}

/** "Fri 9 Jan 2026". */
export function formatDate(date: Date): string {
  return date.toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
