import { findDeadline, formatDate } from '../../parsing/deadline';
import { findDuration, type Span } from '../../parsing/duration';
import { quoted } from '../../parsing/text';
import { type AnswerOf, timelineBucket } from '../answers';
import { answer, at, type Found, none, type ReadContext, type Reading, type TopicReader } from './reading';

const NO_DEADLINE =
  /\b(no (?:fixed |hard |real |particular )?(?:deadline|rush|hurry|time ?line|time pressure)|not in a (?:rush|hurry)|no time constraints?|not urgent)\b/;
/** Said to the timeline question, these mean no deadline; elsewhere they may mean anything. */
const LOOSE_NO_DEADLINE = /\b(whenever|take our time|flexible|open[- ]ended|long[- ]term project)\b/;

export function formatDays(days: number): string {
  if (days < 1) return `${Math.max(1, Math.round(days * 24))} hours`;
  if (days % 7 === 0 && days >= 14) return `${days / 7} weeks`;
  if (days % 30 === 0 && days >= 30) return days === 30 ? '1 month' : `${days / 30} months`;
  const rounded = Number(days.toFixed(1));
  return `${rounded} day${rounded === 1 ? '' : 's'}`;
}

export function timelineFromDays(days: number, label = formatDays(days)): AnswerOf<'timeline'> {
  return { bucket: timelineBucket(days), days, label };
}

const ASAP_WORDS = /asap|soon|right|immediately|urgent|yesterday|straight away|at once/;

function fromSpan(span: Span): Reading<'timeline'> {
  if (span.days === 1 && ASAP_WORDS.test(span.phrase))
    return answer<'timeline'>(timelineFromDays(1, 'As soon as possible'));
  const how =
    span.low !== undefined
      ? `read ${quoted(span.phrase)} as up to ${formatDays(span.days)}`
      : /\b(couple|few|several|half|pair|dozen|or)\b/.test(span.phrase)
        ? `read ${quoted(span.phrase)} as ${formatDays(span.days)}`
        : undefined;
  return answer<'timeline'>(timelineFromDays(span.days), how);
}

function findTimeline(text: string, ctx: ReadContext): Found<'timeline'> | undefined {
  const open = NO_DEADLINE.exec(text) ?? (ctx.current === 'timeline' ? LOOSE_NO_DEADLINE.exec(text) : null);
  const deadline = findDeadline(text, ctx.now);
  const span = findDuration(text);
  const first = [
    open && { start: open.index, end: open.index + open[0].length, kind: 'open' as const },
    deadline && { start: deadline.start, end: deadline.end, kind: 'deadline' as const },
    span && { start: span.start, end: span.end, kind: 'span' as const },
  ]
    .filter((x) => !!x)
    .sort((a, b) => a.start - b.start)[0];
  if (!first) return undefined;
  if (first.kind === 'open' && open)
    return at(
      answer<'timeline'>(
        { bucket: 'over_1m', label: 'No fixed deadline' },
        `read ${quoted(open[0])} as no fixed deadline (more than a month)`,
      ),
      first.start,
      first.end,
    );
  if (first.kind === 'span' && span) {
    if (span.span.days > 3650)
      return at(none('plan horizons longer than ten years are not supported'), span.start, span.end);
    if (!(span.span.days > 0))
      return at(none('the time span must be longer than zero'), span.start, span.end);
    return at(fromSpan(span.span), span.start, span.end);
  }
  if (!deadline) return undefined;
  const r = deadline.reading;
  if (r.kind === 'past')
    return at(
      none(`${formatDate(r.date)} has already passed: give a date ahead, or a time span like "2 weeks"`),
      first.start,
      first.end,
    );
  if (r.kind === 'ambiguous')
    return at(
      {
        kind: 'ask',
        ask: `Which date is ${quoted(r.phrase)}?`,
        options: r.options.map((d, i) => ({
          id: `c${i + 1}`,
          label: `${formatDate(d.date)} (${formatDays(d.days)})`,
          answer: {
            ...timelineFromDays(d.days, `by ${formatDate(d.date)} (${formatDays(d.days)})`),
            deadline: d.date.toISOString().slice(0, 10),
          },
        })),
      },
      first.start,
      first.end,
    );
  const d = r.deadline;
  return at(
    answer<'timeline'>(
      {
        ...timelineFromDays(d.days, `by ${formatDate(d.date)} (${formatDays(d.days)})`),
        deadline: d.date.toISOString().slice(0, 10),
      },
      `read ${quoted(d.phrase)} as ${formatDate(d.date)}, ${formatDays(d.days)} from today`,
    ),
    first.start,
    first.end,
  );
}

/** A bare number has no unit: ask which. */
export function timelineFromNumber(n: number): Reading<'timeline'> {
  const units: [string, number][] = [
    ['days', 1],
    ['weeks', 7],
    ['months', 30],
  ];
  return {
    kind: 'ask',
    ask: `${n} what: days, weeks or months?`,
    options: units.map(([unit, days], i) => ({
      id: `c${i + 1}`,
      label: `${n} ${unit}`,
      answer: timelineFromDays(n * days, `${n} ${unit}`),
    })),
  };
}

export const timelineReader: TopicReader<'timeline'> = {
  read(text, ctx) {
    if (/(^|\s)-\s*\d/.test(text)) return none('the time span must be longer than zero');
    return findTimeline(text, ctx)?.reading ?? none(`${quoted(text)} is not a time span or a date`);
  },
  find: findTimeline,
};
