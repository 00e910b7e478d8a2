/**
 * Yes, no or not sure, the way people answer: a leading word or phrase ("yes", "nope", "I think
 * so", "not really"), optionally followed by an elaboration ("yes, one per customer") that other
 * readers may use. Hedges ("probably", "I think so") are kept as `hedged`.
 */
import { err, ok, type Result } from './result';
import { cleanMessage } from './text';

export type YesNo = 'yes' | 'no' | 'unsure';

export interface YesNoReading {
  value: YesNo;
  hedged: boolean;
  /** The words read as the answer. */
  lead: string;
  /** What follows them, for the reader of the question ("one per customer"). */
  rest: string;
}

type Lead = [phrase: string, value: YesNo, hedged: boolean];

const LEADS: Lead[] = [
  ['yes and no', 'unsure', false],
  ['yes or no', 'unsure', false],
  ['not sure', 'unsure', false],
  ['not certain', 'unsure', false],
  ['unsure', 'unsure', false],
  ['uncertain', 'unsure', false],
  ['maybe not', 'no', true],
  ['maybe', 'unsure', false],
  ['perhaps not', 'no', true],
  ['perhaps', 'unsure', false],
  ['possibly', 'unsure', false],
  ["don't know", 'unsure', false],
  ['do not know', 'unsure', false],
  ['dont know', 'unsure', false],
  ['dunno', 'unsure', false],
  ['idk', 'unsure', false],
  ['no idea', 'unsure', false],
  ['hard to say', 'unsure', false],
  ["can't say", 'unsure', false],
  ['cannot say', 'unsure', false],
  ['who knows', 'unsure', false],
  ['it depends', 'unsure', false],
  ['depends', 'unsure', false],
  ['either way', 'unsure', false],
  ['either', 'unsure', false],
  ['no preference', 'unsure', false],
  ['undecided', 'unsure', false],
  ['not decided', 'unsure', false],
  ['not yet decided', 'unsure', false],
  ['not decided yet', 'unsure', false],
  ['not known yet', 'unsure', false],
  ['tbd', 'unsure', false],
  ['eventually', 'unsure', false],
  ['not yet', 'unsure', false],
  ['later', 'unsure', false],
  ['in the future', 'unsure', false],
  ['unclear', 'unsure', false],
  ['50/50', 'unsure', false],
  ['skip', 'unsure', false],
  ['pass', 'unsure', false],
  ['no way', 'no', false],
  ['no no', 'no', false],
  ['nope', 'no', false],
  ['nah', 'no', false],
  ['nay', 'no', false],
  ['not really', 'no', true],
  ['not at all', 'no', false],
  ['not quite', 'no', true],
  ['not exactly', 'no', true],
  ['not necessarily', 'no', true],
  ['not particularly', 'no', true],
  ['absolutely not', 'no', false],
  ['definitely not', 'no', false],
  ['certainly not', 'no', false],
  ['of course not', 'no', false],
  ['probably not', 'no', true],
  ['likely not', 'no', true],
  ['unlikely', 'no', true],
  ["i don't think so", 'no', true],
  ['i dont think so', 'no', true],
  ['i do not think so', 'no', true],
  ["don't think so", 'no', true],
  ['i think not', 'no', true],
  ['i doubt it', 'no', true],
  ['doubt it', 'no', true],
  ['hardly', 'no', true],
  ['never', 'no', false],
  ['negative', 'no', false],
  ['false', 'no', false],
  ['incorrect', 'no', false],
  ['nuh uh', 'no', false],
  ['no', 'no', false],
  ['n', 'no', false],
  ['\u{1f44e}', 'no', false],
  ['yes please', 'yes', false],
  ['yes', 'yes', false],
  ['yeah', 'yes', false],
  ['yea', 'yes', false],
  ['yep', 'yes', false],
  ['yup', 'yes', false],
  ['ya', 'yes', false],
  ['yah', 'yes', false],
  ['uh huh', 'yes', false],
  ['sure', 'yes', false],
  ['okay', 'yes', false],
  ['ok', 'yes', false],
  ['absolutely', 'yes', false],
  ['definitely', 'yes', false],
  ['certainly', 'yes', false],
  ['of course', 'yes', false],
  ['for sure', 'yes', false],
  ['totally', 'yes', false],
  ['exactly', 'yes', false],
  ['indeed', 'yes', false],
  ['correct', 'yes', false],
  ['true', 'yes', false],
  ['affirmative', 'yes', false],
  ['agreed', 'yes', false],
  ['you bet', 'yes', false],
  ['fine', 'yes', false],
  ['that is fine', 'yes', false],
  ["that's fine", 'yes', false],
  ['good enough', 'yes', false],
  ['that works', 'yes', false],
  ['works for us', 'yes', false],
  ['works for me', 'yes', false],
  ['i think so', 'yes', true],
  ['i believe so', 'yes', true],
  ['i guess so', 'yes', true],
  ['i suppose so', 'yes', true],
  ['i guess', 'yes', true],
  ['think so', 'yes', true],
  ['probably', 'yes', true],
  ['likely', 'yes', true],
  ['most likely', 'yes', true],
  ['mostly', 'yes', true],
  ['generally', 'yes', true],
  ['kind of', 'yes', true],
  ['kinda', 'yes', true],
  ['sort of', 'yes', true],
  ['somewhat', 'yes', true],
  ['more or less', 'yes', true],
  ['y', 'yes', false],
  ['\u{1f44d}', 'yes', false],
];

/** Longest phrases first, so "not sure" wins over "no" and "yes and no" over "yes". */
const SORTED = [...LEADS].sort((a, b) => b[0].length - a[0].length);

const FILLERS =
  /^(?:(?:well|hmm+|um+|uh+|er+|so|oh|ah|honestly|frankly|to be honest|tbh|i'd say|i would say|i mean|haha|lol)[\s,.!-]+)+/;

/** Stretched spellings read as the word: "yesss", "noooo", "yeahhh". */
function unstretched(text: string): string {
  return text
    .replace(/^ye+s+\b/, 'yes')
    .replace(/^no+\b/, 'no')
    .replace(/^yea+h+\b/, 'yeah')
    .replace(/^nop+e+\b/, 'nope');
}

/** The leading yes / no / not sure of an answer and what follows it, or undefined. */
export function readYesNo(input: string): YesNoReading | undefined {
  const text = unstretched(cleanMessage(input).replace(FILLERS, ''));
  for (const [phrase, value, hedged] of SORTED) {
    if (!text.startsWith(phrase)) continue;
    const next = text.charAt(phrase.length);
    if (next && /[\p{L}\p{N}'/]/u.test(next)) continue;
    const rest = text
      .slice(phrase.length)
      .replace(/^[\s,.;:!?\-)(]+/, '')
      .trim();
    return { value, hedged, lead: phrase, rest };
  }
  return undefined;
}

/** Reads yes / no / not sure from a typed answer, elaborations allowed ("no, just one task"). */
export function parseYesNo(input: string): Result<YesNo> {
  const reading = readYesNo(input);
  if (reading) return ok(reading.value);
  return err(`"${input.trim().slice(0, 60)}" is not yes, no or not sure`);
}
