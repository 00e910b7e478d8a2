/**
 * The yes/no questions (performance, behaviour change, variants, domain shift) and the stage
 * question, read from a leading yes / no with or without an elaboration, or from what the words
 * say ("we need the best possible" answers the performance question with no). A yes that its own
 * elaboration contradicts is asked about again.
 */

import { parseNumberWord } from '../../parsing/numbers';
import { quoted } from '../../parsing/text';
import { readYesNo } from '../../parsing/yes-no';
import type { Answers, Stage, YesNoAnswer } from '../answers';
import {
  BEHAVIOUR_CUES,
  type Cue,
  cueMatches,
  DOMAIN_CUES,
  PERFORMANCE_CUES,
  STAGE_CUES,
  VARIANT_COUNT,
  VARIANT_CUES,
} from './cues';
import { answer, at, none, type Option, type Reading, type TopicReader } from './reading';

type YesNoTopic = 'performance' | 'behaviour' | 'variants' | 'domain';

export const YES_NO_LABELS: Record<YesNoAnswer, string> = { yes: 'Yes', no: 'No', unsure: 'Not sure' };

/** What yes and no mean for each question, for clarifying questions and summaries. */
const MEANING: Record<YesNoTopic, Record<'yes' | 'no', string>> = {
  performance: {
    yes: "Yes, 95% of full fine-tuning's quality is enough",
    no: 'No, we need the best possible',
  },
  behaviour: { yes: 'Yes, a fundamental change of behaviour', no: 'No, new skills or knowledge' },
  variants: { yes: 'Yes, several variants', no: 'No, one task' },
  domain: { yes: 'Yes, far from general text', no: 'No, close to general text' },
};

const CUES: Record<YesNoTopic, Cue[]> = {
  performance: PERFORMANCE_CUES,
  behaviour: BEHAVIOUR_CUES,
  variants: VARIANT_CUES,
  domain: DOMAIN_CUES,
};

export const yesNoAnswer = (value: YesNoAnswer) => ({ value, label: YES_NO_LABELS[value] });

/** "97%", "0.9", "90 percent": a share of full fine-tuning's quality, 0.5-1. */
export function parseShare(text: string): number | undefined {
  const cleaned = text
    .toLowerCase()
    .trim()
    .replace(/[.!?,;]+$/, '');
  const percent = /^(?:about |at least |around |~)?(\d{1,3}(?:\.\d+)?)\s*(?:%|percent|pct)(?: .*)?$/.exec(
    cleaned,
  );
  const decimal = /^(0?\.\d+|1(?:\.0+)?)$/.exec(cleaned);
  const share = percent ? Number(percent[1]) / 100 : decimal ? Number(decimal[1]) : undefined;
  return share !== undefined && share >= 0.5 && share <= 1 ? share : undefined;
}

/** A share of full fine-tuning's quality inside a message ("we need 99%", "97% would do"). */
const SHARE_IN_TEXT =
  /(?<![\d$])(\d{2,3}(?:\.\d+)?)\s*(?:%|percent)(?:\s+of (?:full fine-?tuning|the (?:best|full model))(?:'s)?(?: quality| performance| accuracy)?)?/;

export function performanceFromShare(share: number): Answers['performance'] & object {
  return {
    value: share <= 0.95 ? 'yes' : 'no',
    threshold: share,
    label: `${Number((share * 100).toFixed(1))}% of full fine-tuning's quality is enough`,
  };
}

function countOf(text: string): number | undefined {
  const m = VARIANT_COUNT.exec(text);
  if (!m) return undefined;
  const word = (m[1] ?? '').replace(/^a /, '');
  const n = parseNumberWord(word === 'hundred' ? '100' : word);
  return n !== undefined && Number.isInteger(n) && n >= 1 && n <= 100000 ? n : undefined;
}

export const variantCountAnswer = (count: number) => ({
  count,
  label: `${count} variant${count === 1 ? '' : 's'}`,
});

/** "lots of them", "a few", "many": said to the variants question, an amount means yes (how many is asked next). */
const BARE_MANY =
  /^(?:(?:quite|very|so|too) )?(?:many|lots|a lot|loads|tons|plenty|several|a few|quite a few|a couple|a handful|a bunch|dozens|hundreds|multiple|various|numerous)(?: of (?:them|those|these|variants?|versions?))?$/;

/** Variants with a count: one is no variants; more is yes, and answers how many. */
function variantsWithCount(count: number, how?: string): Reading<'variants'> {
  if (count === 1) return answer<'variants'>(yesNoAnswer('no'), how ?? 'one variant: no variants');
  return answer<'variants'>(yesNoAnswer('yes'), how, { variantCount: variantCountAnswer(count) });
}

function clarify(topic: YesNoTopic, said: string): Reading<YesNoTopic> {
  const options: Option<YesNoTopic>[] = (['yes', 'no'] as const).map((value, i) => ({
    id: `c${i + 1}`,
    label: MEANING[topic][value],
    answer: yesNoAnswer(value),
  }));
  return { kind: 'ask', ask: `${quoted(said, 80)} reads both ways: which is it?`, options };
}

function withExtras(topic: YesNoTopic, value: YesNoAnswer, text: string, how?: string): Reading<YesNoTopic> {
  if (topic === 'variants' && value === 'yes') {
    const count = countOf(text);
    if (count !== undefined && count > 1)
      return answer<'variants'>(yesNoAnswer('yes'), how, { variantCount: variantCountAnswer(count) });
  }
  return answer<YesNoTopic>(yesNoAnswer(value), how);
}

function readTopic(topic: YesNoTopic, text: string): Reading<YesNoTopic> {
  if (topic === 'performance') {
    const share =
      parseShare(text) ??
      (() => {
        const m = SHARE_IN_TEXT.exec(text);
        const v = m ? Number(m[1]) / 100 : undefined;
        return v !== undefined && v >= 0.5 && v <= 1 ? v : undefined;
      })();
    if (share !== undefined) {
      const refused = share <= 0.95 && cueMatches(text, PERFORMANCE_CUES).some((c) => c.value === 'no');
      if (refused)
        return answer<'performance'>(
          yesNoAnswer('no'),
          `read ${quoted(text)} as: ${Math.round(share * 100)}% is not enough`,
        );
      return answer<'performance'>(performanceFromShare(share));
    }
  }
  const whole = cueMatches(text, CUES[topic])[0];
  const leadWord = readYesNo(text);
  // "no fundamental change", "no variants": the leading word belongs to the phrase.
  const lead =
    leadWord && whole && whole.start === 0 && whole.phrase.length > leadWord.lead.length
      ? undefined
      : leadWord;
  const rest = lead ? lead.rest : text;
  const cues = cueMatches(rest, CUES[topic]);
  const cue = cues[0];
  if (topic === 'variants' && !lead && !cue) {
    const count = countOf(text);
    if (count !== undefined)
      return variantsWithCount(count, `read ${quoted(text)} as ${variantCountAnswer(count).label}`);
  }
  if (lead) {
    const conflicting = lead.value !== 'unsure' && cues.some((c) => c.value !== lead.value);
    if (conflicting) return clarify(topic, text);
    const how = lead.hedged
      ? `read ${quoted(lead.lead)} as ${YES_NO_LABELS[lead.value].toLowerCase()}`
      : undefined;
    return withExtras(topic, lead.value, rest, how);
  }
  if (topic === 'variants' && !cue && BARE_MANY.test(text))
    return answer<'variants'>(yesNoAnswer('yes'), `read ${quoted(text)} as yes, several variants`);
  if (!cue) return none(`${quoted(text)} is not yes, no or not sure`);
  if (cues.some((c) => c.value !== cue.value)) return clarify(topic, text);
  return withExtras(
    topic,
    cue.value,
    text,
    `read ${quoted(cue.phrase)} as ${MEANING[topic][cue.value === 'yes' ? 'yes' : 'no'].toLowerCase()}`,
  );
}

function findTopic(topic: YesNoTopic, text: string) {
  const cues = cueMatches(text, CUES[topic]);
  const cue = cues[0];
  if (topic === 'performance') {
    const m = SHARE_IN_TEXT.exec(text);
    const share = m ? Number(m[1]) / 100 : undefined;
    if (m && share !== undefined && share >= 0.5 && share <= 1)
      return at(
        answer<'performance'>(performanceFromShare(share), `read ${quoted(m[0])} as the share you need`),
        m.index,
        m.index + m[0].length,
      );
  }
  if (!cue) return undefined;
  if (cues.some((c) => c.value !== cue.value)) return at(clarify(topic, text), cue.start, cue.end);
  const meaning = MEANING[topic][cue.value === 'yes' ? 'yes' : 'no'].toLowerCase();
  return at(
    withExtras(topic, cue.value, text, `read ${quoted(cue.phrase)} as ${meaning}`),
    cue.start,
    cue.end,
  );
}

function topicReader<K extends YesNoTopic>(topic: K): TopicReader<K> {
  return {
    read: (text) => readTopic(topic, text) as Reading<K>,
    find: (text) => findTopic(topic, text) as ReturnType<TopicReader<K>['find']>,
  };
}

export const performanceReader = topicReader('performance');
export const behaviourReader = topicReader('behaviour');
export const variantsReader = topicReader('variants');
export const domainReader = topicReader('domain');

export const STAGE_LABELS: Record<Stage, string> = {
  prototype: 'Prototyping or experimenting',
  production: 'Production, for the long term',
  unsure: 'Not sure',
};

export const stageAnswer = (value: Stage) => ({ value, label: STAGE_LABELS[value] });

export const stageReader: TopicReader<'stage'> = {
  read(text) {
    const cues = cueMatches(text, STAGE_CUES);
    const cue = cues[0];
    if (!cue) return none(`${quoted(text)} says neither prototype nor production`);
    if (cues.some((c) => c.value !== cue.value))
      return {
        kind: 'ask',
        ask: 'Both a prototype and production: which stage are you in now?',
        options: (['prototype', 'production'] as const).map((v, i) => ({
          id: `c${i + 1}`,
          label: STAGE_LABELS[v],
          answer: stageAnswer(v),
        })),
      };
    return answer<'stage'>(
      stageAnswer(cue.value),
      /^(prototype|production)$/.test(cue.phrase)
        ? undefined
        : `read ${quoted(cue.phrase)} as ${STAGE_LABELS[cue.value].toLowerCase()}`,
    );
  },
  find(text) {
    const cues = cueMatches(text, STAGE_CUES);
    const cue = cues[0];
    if (!cue || cues.some((c) => c.value !== cue.value)) return undefined;
    return at(
      answer<'stage'>(
        stageAnswer(cue.value),
        `read ${quoted(cue.phrase)} as ${STAGE_LABELS[cue.value].toLowerCase()}`,
      ),
      cue.start,
      cue.end,
    );
  },
};

/** How many variants: a number, or a phrase with one ("about 20 clients"). */
export const variantCountReader: TopicReader<'variantCount'> = {
  read(text) {
    const bare = /^(?:about |around |roughly |~)?(\d{1,6})(?:\s*\+)?$/.exec(text);
    const count = bare
      ? Number(bare[1])
      : (countOf(text) ?? parseNumberWord(text.replace(/^(about|around|roughly) /, '')));
    if (count === undefined || !Number.isInteger(count))
      return none(`no number of variants in ${quoted(text)}`);
    if (count < 1) return none('at least one variant');
    if (count > 100000) return none(`${count} variants is more than this tool plans for`);
    return answer<'variantCount'>(variantCountAnswer(count));
  },
  find(text) {
    const m = VARIANT_COUNT.exec(text);
    const count = countOf(text);
    if (!m || count === undefined || count < 2) return undefined;
    return at(answer<'variantCount'>(variantCountAnswer(count)), m.index, m.index + m[0].length);
  },
};
