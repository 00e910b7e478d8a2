/**
 * How often something happens, as days between occurrences: "weekly", "once a month", "every
 * sprint", "twice a year", "3x per week", "not often", "hardly ever", "never". Vague or two-way
 * phrasings ("bimonthly", "as needed", "regularly") come back as choices to ask about.
 */
import { NUMBER_WORD_PATTERN, parseNumberWord } from './numbers';
import { err, ok, type Result } from './result';
import { cleanMessage } from './text';

export type FrequencyReading =
  | { kind: 'interval'; days: number; phrase: string }
  /** Trained once, or so seldom it is a one-off. */
  | { kind: 'rarely'; phrase: string }
  | { kind: 'ambiguous'; phrase: string; options: { label: string; days: number | 'rarely' }[] };

export interface FoundFrequency {
  reading: FrequencyReading;
  start: number;
  end: number;
}

const UNIT_DAYS: Record<string, number> = {
  hour: 1 / 24,
  day: 1,
  night: 1,
  week: 7,
  fortnight: 14,
  sprint: 14,
  month: 30,
  quarter: 91,
  year: 365,
};
const UNIT = '(hours?|days?|nights?|weeks?|fortnights?|sprints?|months?|quarters?|years?)';
const unitDays = (unit: string) => UNIT_DAYS[unit.replace(/s$/, '')] ?? Number.NaN;

const COUNT = `(\\d+(?:\\.\\d+)?|${NUMBER_WORD_PATTERN})`;
const TIMES = `(once|twice|thrice|${COUNT}\\s*(?:times|x))`;

const timesValue = (word: string): number =>
  word === 'once' ? 1 : word === 'twice' ? 2 : word === 'thrice' ? 3 : (parseNumberWord(word) ?? Number.NaN);

type Rule = [RegExp, (m: RegExpExecArray) => FrequencyReading | undefined];

const interval = (days: number, phrase: string): FrequencyReading | undefined =>
  Number.isFinite(days) && days > 0 ? { kind: 'interval', days, phrase } : undefined;

const ASK_AS_NEEDED = [
  { label: 'Weekly or more often', days: 7 },
  { label: 'About monthly', days: 30 },
  { label: 'A few times a year', days: 120 },
  { label: 'Rarely or never', days: 'rarely' as const },
];

/** Most specific first; each matches inside a longer message. */
const RULES: Rule[] = [
  [
    /\b(not (?:very |that |too |so )?(?:often|frequent(?:ly)?|regular(?:ly)?|much|a lot)|infrequent(?:ly)?|seldom|rarely|hardly(?: ever)?|almost never|barely(?: ever)?|once in a blue moon)\b/,
    (m) => ({ kind: 'rarely', phrase: m[0] }),
  ],
  [
    new RegExp(`\\b${TIMES}\\s*(?:a|an|per|each|every)\\s+(?:${COUNT}\\s+)?${UNIT}`),
    (m) =>
      interval(
        (unitDays(m[4] ?? '') * (m[3] ? (parseNumberWord(m[3]) ?? 1) : 1)) / timesValue(m[2] ?? m[1] ?? ''),
        m[0],
      ),
  ],
  [
    new RegExp(`\\b(?:every|each)\\s+(?:other|second)\\s+${UNIT}`),
    (m) => interval(2 * unitDays(m[1] ?? ''), m[0]),
  ],
  [
    new RegExp(`\\b(?:every|each|once (?:a|every|per))\\s+(?:${COUNT}\\s+)?${UNIT}`),
    (m) => interval(unitDays(m[2] ?? '') * (m[1] ? (parseNumberWord(m[1]) ?? Number.NaN) : 1), m[0]),
  ],
  [
    /\bbi-?monthly\b/,
    (m) => ({
      kind: 'ambiguous',
      phrase: m[0],
      options: [
        { label: 'Twice a month', days: 15 },
        { label: 'Every two months', days: 60 },
      ],
    }),
  ],
  [/\b(bi-?weekly|fortnightly)\b/, (m) => interval(14, m[0])],
  [/\b(semi-?monthly)\b/, (m) => interval(15, m[0])],
  [/\b(semi-?annual(?:ly)?|bi-?annual(?:ly)?|half-?yearly)\b/, (m) => interval(182, m[0])],
  [/\b(hourly)\b/, (m) => interval(1 / 24, m[0])],
  [/\b(daily|nightly|every day|every night)\b/, (m) => interval(1, m[0])],
  [/\b(weekly|every week)\b/, (m) => interval(7, m[0])],
  [/\b(monthly)\b/, (m) => interval(30, m[0])],
  [/\b(quarterly)\b/, (m) => interval(91, m[0])],
  [/\b(yearly|annual(?:ly)?)\b/, (m) => interval(365, m[0])],
  [
    /\b(continuous(?:ly)?|constantly|all the time|real[- ]?time|online learning|non-?stop|very often|very frequently|frequently|often|a lot)\b/,
    (m) => interval(7, m[0]),
  ],
  [
    /\b(occasionally|sometimes|from time to time|now and then|every so often|once in a while|periodically|every now and then)\b/,
    (m) => interval(120, m[0]),
  ],
  [
    /\b(never|no (?:updates?|retraining|re-?training)|one[- ]?off|one[- ]time|just once|only once|train(?:ed)? once|once and done|set and forget|static|frozen)\b/,
    (m) => ({ kind: 'rarely', phrase: m[0] }),
  ],
  [
    /\b(as needed|when needed|if needed|on demand|ad[- ]hoc|whenever (?:we|the|new)[^,.;]{0,30}|when (?:new )?data (?:arrives|changes|comes in)|with (?:each|every) release|each release|every release|regularly|periodic)\b/,
    (m) => ({ kind: 'ambiguous', phrase: m[0], options: ASK_AS_NEEDED }),
  ],
];

/** The first frequency phrase in a text, with where it stands. */
export function findFrequency(text: string): FoundFrequency | undefined {
  let best: FoundFrequency | undefined;
  for (const [pattern, read] of RULES) {
    const match = pattern.exec(text);
    if (!match) continue;
    const reading = read(match);
    if (!reading) continue;
    const found = { reading, start: match.index, end: match.index + match[0].length };
    // The first phrase in the text; at one place, the longer ("not often" over "often").
    const earlier = !best || found.start < best.start;
    const longer = !!best && found.start === best.start && found.end - found.start > best.end - best.start;
    if (earlier || longer) best = found;
  }
  return best;
}

/** Reads an answer to "how often?" from the whole text. */
export function parseFrequency(input: string): Result<FrequencyReading> {
  const text = cleanMessage(input);
  const found = findFrequency(text);
  if (found) return ok(found.reading);
  return err(`"${input.trim().slice(0, 60)}" is not a frequency`);
}
