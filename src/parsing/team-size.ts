/**
 * Head counts: "3", "just me", "me and a colleague", "two of us", "a team of 8", "five ML
 * engineers", "a dozen", "small team". When several numbers appear, the one next to "ML",
 * "engineer" or "people" counts ("20 people, 2 on ML" -> 2). A range across the framework's
 * line of five ("4-6") comes back as a range, to ask.
 */
import { NUMBER_WORD_PATTERN, parseNumberWord } from './numbers';
import { err, ok, type Result } from './result';
import { cleanMessage } from './text';

export type TeamReading =
  | { kind: 'count'; size: number; phrase: string }
  | { kind: 'range'; low: number; high: number; phrase: string }
  /** Only a size class was said ("a small team"). */
  | { kind: 'class'; large: boolean; phrase: string };

export interface FoundTeam {
  reading: TeamReading;
  start: number;
  end: number;
}

const SOLO =
  /\b(just me|only me|me alone|me myself|myself|solo|on my own|by myself|one[- ]person team|one[- ]man (?:band|team|show)|a team of one|i am alone|i'm alone|just one person|one person|single engineer|one engineer|alone|a single person)\b/;
const PAIR =
  /\b(me (?:and|plus|\+|with) (?:a|an|my|one|another) (?:colleague|friend|coworker|co-worker|teammate|cofounder|co-founder|partner|intern|engineer|contractor|student|freelancer)|me plus (?:one|1)|two of us|the two of us|both of us|a pair of us|my co-?founder and i|me and my co-?founder)\b/;
const COUNT = `(\\d{1,6}|${NUMBER_WORD_PATTERN}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](?:one|two|three|four|five|six|seven|eight|nine))`;
const PEOPLE =
  '(?:ml |machine learning |data |ai |research |software |full[- ]time )?(?:engineers?|people|persons?|devs?|developers?|scientists?|researchers?|folks|members?|heads|staff|ppl|fte|ftes|of us|guys|humans|practitioners)';
const WITH_PEOPLE = new RegExp(
  `\\b${COUNT}(?:\\s*(?:-|to|or)\\s*${COUNT})?\\s*(?:-\\s*person|\\s+${PEOPLE})\\b`,
  'g',
);
const TEAM_OF = new RegExp(
  `\\b(?:team of|group of|crew of|we are|we're|we re|there are|there's|theres|staff of)\\s+(?:about |around |roughly )?${COUNT}(?:\\s*(?:-|to|or)\\s*${COUNT})?\\b`,
);
const HALF_DOZEN = /\bhalf a dozen\b/;
const DOZEN = /\b(?:a|one) dozen\b/;
const PLUS_ME = new RegExp(
  `\\b(?:me|myself) (?:and|plus|\\+) ${COUNT} (?:others?|colleagues?|more|engineers?|people)\\b`,
);
const SIZE_CLASS =
  /\b(?:(small|tiny|little|lean|big|large|huge|sizable|sizeable|whole) (?:ml )?(?:team|group|department|org))\b/;
const NOBODY = /\b(?:nobody|no one|no ml engineers?|no engineers?|zero engineers?)(?: yet)?\b/;
const HANDFUL = /\b(a handful|handful of (?:people|engineers|us))\b/;

function count(word: string | undefined): number | undefined {
  if (word === undefined) return undefined;
  if (/^(a|an)$/.test(word)) return undefined;
  return parseNumberWord(word);
}

function fromPair(
  low: number | undefined,
  high: number | undefined,
  phrase: string,
): TeamReading | undefined {
  if (low === undefined) return undefined;
  if (high !== undefined && high > low) return { kind: 'range', low, high, phrase };
  return { kind: 'count', size: low, phrase };
}

/** The team size in a text, with where it stands. */
export function findTeam(text: string): FoundTeam | undefined {
  const at = (m: RegExpExecArray | RegExpMatchArray, reading: TeamReading | undefined) =>
    reading ? { reading, start: m.index ?? 0, end: (m.index ?? 0) + m[0].length } : undefined;
  const candidates = [...text.matchAll(WITH_PEOPLE)];
  const ml =
    candidates.find((m) => /\b(ml|machine learning|ai|engineers?|scientists?|researchers?)\b/.test(m[0])) ??
    candidates[0];
  if (ml) return at(ml, fromPair(count(ml[1]), count(ml[2]), ml[0]));
  const plusMe = PLUS_ME.exec(text);
  if (plusMe) {
    const others = count(plusMe[1]);
    if (others !== undefined) return at(plusMe, { kind: 'count', size: others + 1, phrase: plusMe[0] });
  }
  for (const [pattern, size] of [
    [PAIR, 2],
    [SOLO, 1],
    [HALF_DOZEN, 6],
    [DOZEN, 12],
  ] as const) {
    const m = pattern.exec(text);
    if (m) return at(m, { kind: 'count', size, phrase: m[0] });
  }
  const teamOf = TEAM_OF.exec(text);
  if (teamOf) {
    const found = at(teamOf, fromPair(count(teamOf[1]), count(teamOf[2]), teamOf[0]));
    if (found) return found;
  }
  const handful = HANDFUL.exec(text);
  if (handful) return at(handful, { kind: 'range', low: 3, high: 6, phrase: handful[0] });
  const nobody = NOBODY.exec(text);
  if (nobody) return at(nobody, { kind: 'class', large: false, phrase: nobody[0] });
  const sized = SIZE_CLASS.exec(text);
  if (sized)
    return at(sized, {
      kind: 'class',
      large: /big|large|huge|sizable|sizeable|whole/.test(sized[1] ?? ''),
      phrase: sized[0],
    });
  return undefined;
}

/** Reads a head count from an answer: the team size it names, or its first number. */
export function parseTeam(input: string): Result<TeamReading> {
  const text = cleanMessage(input);
  if (/^(me|i|1 person|one)$/.test(text)) return ok({ kind: 'count', size: 1, phrase: text });
  if (/^\d*\.\d+$/.test(text)) return err('a team has a whole number of people, at least 1');
  const found = findTeam(text);
  const reading =
    found?.reading ??
    (() => {
      const m = new RegExp(`(?:^|\\s)${COUNT}(?:\\s*(?:-|to|or)\\s*${COUNT})?(?:\\s|$)`).exec(
        text.replace(/[^a-z0-9.\- ]/g, ' '),
      );
      return m ? fromPair(count(m[1]), count(m[2]), m[0].trim()) : undefined;
    })();
  if (!reading) return err(`no head count found in "${input.trim().slice(0, 60)}"`);
  if (reading.kind === 'count') {
    if (!Number.isInteger(reading.size) || reading.size < 1)
      return err('a team has a whole number of people, at least 1');
    if (reading.size > 100000) return err(`${reading.size} people is not a team size this tool can plan for`);
  }
  return ok(reading);
}

/** Reads a head count as a number: "3", "just me", "a team of 8", "five people". */
export function parseTeamSize(input: string): Result<number> {
  const reading = parseTeam(input);
  if (!reading.ok) return reading;
  if (reading.value.kind === 'count') return ok(reading.value.size);
  if (reading.value.kind === 'range') return ok(reading.value.high);
  return err(`"${input.trim()}" gives no number`);
}
