/**
 * One message, many answers: "we have about $5k and two weeks, a 7B model, a support bot with one
 * variant per client, retrained monthly" fills budget, timeline, model, task, variants and updates.
 * Each topic finds its phrase; a phrase one topic took is blanked out for the rest, so "every two
 * weeks" is an update frequency and not also a deadline. The question being asked reads a leading
 * yes / no or bare number its own way.
 */
import { cleanMessage } from '../parsing/text';
import { readYesNo } from '../parsing/yes-no';
import type { Answers, QuestionId } from './answers';
import { type AnyQuestion, questionById } from './questions';
import { budgetReader } from './read/budget';
import { modelReader } from './read/model';
import type { ReadContext, Reading, TopicReader } from './read/reading';
import { taskReader } from './read/task';
import { teamReader } from './read/team';
import { timelineReader } from './read/timeline';
import { updatesReader } from './read/updates';
import {
  behaviourReader,
  domainReader,
  performanceReader,
  stageReader,
  variantCountReader,
  variantsReader,
} from './read/yes-no-topics';
import { readNumber } from './read-answer';

export interface Understood {
  /** What the message answers, by question, in the order found. */
  readings: Map<QuestionId, Reading>;
  /** The message began as a correction ("actually", "sorry, I meant"). */
  correction: boolean;
  /** The message, cleaned, with the correction words removed. */
  text: string;
}

/** The order topics take their phrases in: the most distinctive first. */
const FINDERS: [QuestionId, TopicReader<QuestionId>][] = [
  ['model', modelReader],
  ['budget', budgetReader],
  ['updates', updatesReader],
  ['timeline', timelineReader],
  ['team', teamReader],
  ['variants', variantsReader],
  ['variantCount', variantCountReader],
  ['task', taskReader],
  ['performance', performanceReader],
  ['behaviour', behaviourReader],
  ['domain', domainReader],
  ['stage', stageReader],
] as [QuestionId, TopicReader<QuestionId>][];

const CORRECTION =
  /^(?:(?:actually|sorry|oops|wait|no wait|hold on|correction|scratch that|my bad|i meant|i mean|let me correct(?: that)?|to correct|update|change of plan|on second thought)[\s,:;.!-]+)+(?:(?:it'?s|it is|make (?:it|that)|change (?:it|that) to|that should be|should be)\s+)?/;

const YES_NO_TOPICS = new Set<QuestionId>(['performance', 'behaviour', 'variants', 'domain']);
const LEADING_NUMBER = /^(\d+(?:\.\d+)?)(?=\s*(?:[,;]|and\b|$))/;

const blank = (text: string, start: number, end: number) =>
  text.slice(0, start) + ' '.repeat(Math.max(0, end - start)) + text.slice(end);

/** The current question's own reading of the start of the message, and how much it used. */
function leading(
  question: AnyQuestion,
  text: string,
  ctx: ReadContext,
): { reading: Reading; end: number } | undefined {
  if (YES_NO_TOPICS.has(question.id)) {
    const lead = readYesNo(text);
    if (!lead) return undefined;
    const reading = question.reader.read(text, ctx) as Reading;
    return reading.kind === 'none' ? undefined : { reading, end: text.indexOf(lead.lead) + lead.lead.length };
  }
  const number = question.numbers === 'value' ? LEADING_NUMBER.exec(text) : null;
  if (!number) return undefined;
  return { reading: readNumber(question, Number(number[1])), end: number[0].length };
}

export function understand(input: string, ctx: ReadContext & { answers?: Answers }): Understood {
  const cleaned = cleanMessage(input);
  const correction = CORRECTION.exec(cleaned);
  let text = correction ? cleaned.slice(correction[0].length) : cleaned;
  const readings = new Map<QuestionId, Reading>();
  const current = ctx.current ? questionById(ctx.current) : undefined;
  if (current && !correction) {
    const lead = leading(current, text, ctx);
    if (lead) {
      readings.set(current.id, lead.reading);
      text = blank(text, 0, lead.end);
    }
  }
  let rest = text;
  // The question being asked takes its phrases first ("a new persona" is a behaviour, not a task).
  const first = current && (YES_NO_TOPICS.has(current.id) || current.id === 'stage');
  const order = first
    ? [...FINDERS.filter(([id]) => id === current.id), ...FINDERS.filter(([id]) => id !== current.id)]
    : FINDERS;
  for (const [id, reader] of order) {
    if (readings.has(id)) continue;
    if (id === 'variantCount') {
      const variants = readings.get('variants');
      const saysYes =
        variants?.kind === 'answer'
          ? (variants.answer as { value?: string }).value === 'yes'
          : ctx.answers?.variants?.value === 'yes';
      if (!saysYes || (variants?.kind === 'answer' && variants.also?.variantCount)) continue;
    }
    const found = reader.find(rest, ctx);
    if (!found) continue;
    readings.set(id, found.reading);
    rest = blank(rest, found.start, found.end);
  }
  return { readings, correction: !!correction, text: cleaned };
}
