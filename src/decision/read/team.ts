import { findTeam, parseTeam, type TeamReading } from '../../parsing/team-size';
import { quoted } from '../../parsing/text';
import type { AnswerOf } from '../answers';
import { answer, at, none, type Reading, type TopicReader } from './reading';

const SMALL: AnswerOf<'team'> = { bucket: 'small', label: 'Fewer than 5' };
const LARGE: AnswerOf<'team'> = { bucket: 'large', label: '5 or more' };

export function teamOfSize(size: number): AnswerOf<'team'> {
  return { bucket: size < 5 ? 'small' : 'large', size, label: `${size} ${size === 1 ? 'person' : 'people'}` };
}

function fromReading(reading: TeamReading): Reading<'team'> {
  if (reading.kind === 'class')
    return answer<'team'>(
      reading.large ? LARGE : SMALL,
      `read ${quoted(reading.phrase)} as ${reading.large ? '5 or more' : 'fewer than 5'}`,
    );
  if (reading.kind === 'range') {
    if (reading.high < 5)
      return answer<'team'>(
        teamOfSize(reading.high),
        `read ${quoted(reading.phrase)} as up to ${reading.high}`,
      );
    if (reading.low >= 5)
      return answer<'team'>(
        teamOfSize(reading.high),
        `read ${quoted(reading.phrase)} as up to ${reading.high}`,
      );
    return {
      kind: 'ask',
      ask: `${quoted(reading.phrase)} crosses the framework's line of five ML engineers: which is closer?`,
      options: [
        { id: 'c1', label: 'Fewer than 5', answer: SMALL },
        { id: 'c2', label: '5 or more', answer: LARGE },
      ],
    };
  }
  if (!Number.isInteger(reading.size) || reading.size < 1)
    return none('a team has a whole number of people, at least 1');
  if (reading.size > 100000) return none(`${reading.size} people is not a team size this tool can plan for`);
  const plain = /^\d+$/.test(reading.phrase) || reading.phrase === teamOfSize(reading.size).label;
  return answer<'team'>(
    teamOfSize(reading.size),
    plain ? undefined : `read ${quoted(reading.phrase)} as ${teamOfSize(reading.size).label}`,
  );
}

export function teamFromNumber(n: number): Reading<'team'> {
  const reading = fromReading({ kind: 'count', size: n, phrase: String(n) });
  return reading.kind === 'answer' ? { ...reading, how: `read "${n}" as ${reading.answer.label}` } : reading;
}

export const teamReader: TopicReader<'team'> = {
  read(text) {
    const reading = parseTeam(text);
    return reading.ok ? fromReading(reading.value) : none(reading.error);
  },
  find(text) {
    const found = findTeam(text);
    return found ? at(fromReading(found.reading), found.start, found.end) : undefined;
  },
};
