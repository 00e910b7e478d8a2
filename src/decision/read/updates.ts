import { findDuration } from '../../parsing/duration';
import { type FrequencyReading, findFrequency } from '../../parsing/frequency';
import { quoted } from '../../parsing/text';
import { type AnswerOf, type UpdateFrequency, updateFrequency } from '../answers';
import { answer, at, type Found, none, type ReadContext, type Reading, type TopicReader } from './reading';

export const UPDATE_LABELS: Record<UpdateFrequency, string> = {
  weekly: 'Weekly or more often',
  monthly: 'About monthly',
  quarterly: 'A few times a year',
  rarely: 'Rarely or never',
  unknown: 'Not sure',
};

/** Frequencies that need no talk of retraining nearby to mean it ("weekly", "every 2 weeks"). */
const PLAIN =
  /\b(hourly|daily|nightly|weekly|monthly|quarterly|yearly|annual|fortnightly|bi-?weekly|bi-?monthly|semi|bi-?annual|every|each|once a|once per|times|x per)\b/;
const UPDATE_WORDS =
  /\b(retrain\w*|re-?train\w*|updat\w*|refresh\w*|fine-?tun\w*|new data|data changes|iterat\w*|redeploy\w*|releases?)\b/;

/** "every day", "every 2 weeks", "every 6 months": the interval in the unit that reads best. */
function describe(days: number): string {
  const every = (n: number, unit: string) => (n === 1 ? `every ${unit}` : `every ${n} ${unit}s`);
  if (days < 1) return every(Math.max(1, Math.round(days * 24)), 'hour');
  if (days < 7) return every(Math.round(days), 'day');
  if (days < 28 && Number.isInteger(days / 7)) return every(days / 7, 'week');
  if (days < 28) return every(Math.round(days), 'day');
  if (days === 91) return 'every quarter';
  if (days < 360) return every(Math.max(1, Math.round(days / 30.4)), 'month');
  return every(Math.max(1, Math.round(days / 365)), 'year');
}

export function updatesFromDays(days: number): AnswerOf<'updates'> {
  const value = updateFrequency(days);
  const said = describe(days);
  return { value, days, label: `${said.charAt(0).toUpperCase()}${said.slice(1)}` };
}

function fromFrequency(reading: FrequencyReading): Reading<'updates'> {
  if (reading.kind === 'rarely')
    return answer<'updates'>(
      { value: 'rarely', label: UPDATE_LABELS.rarely },
      `read ${quoted(reading.phrase)} as rarely or never`,
    );
  if (reading.kind === 'ambiguous')
    return {
      kind: 'ask',
      ask: `How often is ${quoted(reading.phrase)}, roughly?`,
      options: reading.options.map((o, i) => ({
        id: `c${i + 1}`,
        label: o.label,
        answer:
          o.days === 'rarely' ? { value: 'rarely', label: UPDATE_LABELS.rarely } : updatesFromDays(o.days),
      })),
    };
  const value = updatesFromDays(reading.days);
  const plain =
    reading.phrase.replace(/^once (?:a|per) /, 'every ').replace(/ly$/, '') ===
    describe(reading.days).replace(/^every /, '');
  const obvious =
    plain ||
    describe(reading.days) === reading.phrase ||
    /^(weekly|monthly|quarterly|daily|yearly)$/.test(reading.phrase);
  return answer<'updates'>(
    value,
    obvious ? undefined : `read ${quoted(reading.phrase)} as ${describe(reading.days)}`,
  );
}

function findUpdates(text: string, ctx: ReadContext): Found<'updates'> | undefined {
  const found = findFrequency(text);
  const asked = ctx.current === 'updates';
  if (found && (asked || PLAIN.test(found.reading.phrase) || UPDATE_WORDS.test(text)))
    return at(fromFrequency(found.reading), found.start, found.end);
  if (!asked) return undefined;
  // Asked how often, "two weeks" means every two weeks.
  const span = findDuration(text);
  if (!span || !(span.span.days > 0)) return undefined;
  return at(
    fromFrequency({ kind: 'interval', days: span.span.days, phrase: span.span.phrase }),
    span.start,
    span.end,
  );
}

export const updatesReader: TopicReader<'updates'> = {
  read(text, ctx) {
    return (
      findUpdates(text, { ...ctx, current: 'updates' })?.reading ??
      none(`${quoted(text)} is not an update frequency`)
    );
  },
  find: findUpdates,
};
