/**
 * Phrases that answer the yes/no questions without a yes or a no: "we need the best possible"
 * (95% is not enough), "just new knowledge" (no behaviour change), "one per customer" (several
 * variants), "a proof of concept" (prototyping). Negated phrases are listed as such ("not
 * critical"); where phrases overlap the longest counts.
 */
import type { Stage, YesNoAnswer } from '../answers';

export interface Cue<V extends string = YesNoAnswer> {
  pattern: RegExp;
  value: V;
}

const NEED = '(?:need|needs|want|wants|require|requires|must have|have to have|got to have|gotta have)';

export const PERFORMANCE_CUES: Cue[] = [
  {
    pattern:
      /\b(?:good enough|close enough|fine with (?:95|a small|slightly|a bit)|(?:a |the )?small (?:gap|loss|drop|difference)(?: is)? (?:fine|ok|okay|acceptable)|a few (?:points|percent)(?: less)? (?:is |are )?(?:fine|ok|okay|acceptable)|(?:does ?n[o']?t|doesnt|do ?n[o']?t|dont) (?:need|have) to be (?:perfect|the best|top)|(?:not|isn't|is not) (?:mission|business|safety)[- ]critical|(?:not|isn't|is not) critical|accuracy (?:isn't|is not) (?:critical|everything)|perfection (?:isn't|is not) needed|slightly (?:worse|lower) is (?:fine|ok|okay))\b/,
    value: 'yes',
  },
  {
    pattern: new RegExp(
      `\\b(?:${NEED} (?:the )?(?:absolute |very )?best(?: possible)?|best possible|absolute best|as (?:good|accurate|strong) as (?:possible|it gets|we can get)|best we can get|(?:every|each) (?:point|percent|bit|fraction)(?: of (?:accuracy|quality|performance))? (?:counts|matters)|(?:mission|business|safety)[- ]critical|(?:performance|quality|accuracy) is (?:critical|everything|paramount|key)|can(?:no|')t (?:lose|afford to lose|accept|tolerate)|cannot (?:lose|accept|tolerate)|top (?:accuracy|quality|performance)|maximum (?:accuracy|quality|performance)|highest (?:accuracy|quality|possible)|state of the art|sota|(?:not|isn't|is not) (?:acceptable|good enough|enough|ok|okay)|unacceptable|no compromises?|life[- ]or[- ]death|zero tolerance|(?:has|have|needs?) to be (?:the )?(?:very )?best|must be (?:the )?(?:very )?best|(?:it'?s |it is |very |absolutely |really )?critical)\\b`,
    ),
    value: 'no',
  },
];

export const BEHAVIOUR_CUES: Cue[] = [
  {
    pattern:
      /\b(?:fundamental(?:ly)?(?: change)?|completely (?:different|new)|entirely (?:different|new)|change (?:how|the way) (?:it|the model) (?:behaves|talks|responds|writes|thinks|reasons|acts)|change (?:its|the model's|the) (?:behaviou?r|personality|style|tone|voice|character)|(?:a )?(?:totally |completely |entirely |whole )?new (?:behaviou?r|personality|persona|voice|writing style|character)|different (?:behaviou?r|personality|persona|voice|character)|unlearn\w*|override (?:its|the) (?:defaults?|behaviou?r)|core behaviou?r|rewire)\b/,
    value: 'yes',
  },
  {
    pattern:
      /\b(?:(?:just|only|mainly|mostly|simply)\s+)?(?:add(?:ing)?|teach(?:ing)?|inject(?:ing)?|giv(?:e|ing) it)\s+(?:it\s+)?(?:new\s+|some\s+|more\s+)?(?:knowledge|facts|skills?|information|domain knowledge|vocabulary|terminology|jargon|our (?:data|docs|products?|terminology|jargon|knowledge))\b|\b(?:same|existing|current) (?:behaviou?r|style|tone)\b|\b(?:knowledge|facts) only\b|\b(?:just|only) (?:new )?(?:knowledge|facts|skills?|domain knowledge)\b|\bkeep (?:its|the) (?:behaviou?r|style|tone|personality)\b|\b(?:not|isn't|is not) (?:a )?fundamental(?: change)?\b|\bno (?:fundamental|behaviou?r(?:al)?) change\b|\bnew (?:skills?|knowledge|facts)(?: only)?\b/,
    value: 'no',
  },
];

const UNITS =
  '(?:customers?|clients?|tenants?|departments?|teams?|languages?|regions?|markets?|brands?|products?|segments?|verticals?|countries|country|locales?|use[- ]cases?|users?|partners?|stores?|accounts?|domains?)';
const KINDS = '(?:variants?|versions?|adapters?|flavou?rs?|fine-?tunes?|copies)';
const MANY =
  '(?:several|multiple|many|lots of|a few|a couple of|a handful of|different|various|numerous|dozens of|hundreds of|\\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|fifty|hundred)';

export const VARIANT_CUES: Cue[] = [
  {
    pattern: new RegExp(
      `\\b(?:(?:one|an?|1|separate|different|own|its own|their own)\\s+(?:${KINDS}|models?)\\s+(?:per|for each|for every|for each of (?:our|the)|each)\\s+\\w+|(?:per|for each|for every|each) ${UNITS}|${MANY}\\s+(?:${KINDS}|tasks|use[- ]cases|related tasks)|${MANY}\\s+${UNITS}\\s+(?:each )?(?:with|needing|wanting|getting) (?:its|their) own|multi-?tenant|multi-?task|multiple tasks|${MANY}\\s+(?:languages|locales|markets|countries|regions|departments|brands|tenants|verticals))\\b`,
    ),
    value: 'yes',
  },
  {
    pattern: new RegExp(
      `\\b(?:(?:just|only)\\s+(?:one|a single)|a single|one single|single)\\s+(?:task|${KINDS}|model|use[- ]case|purpose|domain)\\b|\\b(?:just|only) (?:the )?one\\b|\\bno (?:${KINDS}|need for ${KINDS})\\b|\\bone[- ]size[- ]fits[- ]all\\b|\\bsingle[- ]task\\b|\\bone (?:model|task) for (?:everything|all|everyone|everybody)\\b|\\b(?:same|one) model for (?:all|every)\\b`,
    ),
    value: 'no',
  },
];

/** "20 customers", "3 variants", "five languages": a count of variants. */
export const VARIANT_COUNT = new RegExp(
  `\\b(\\d{1,5}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|a hundred|a dozen|dozen)\\s+(?:${KINDS}|${UNITS}|tasks|related tasks)\\b`,
);

export const DOMAIN_CUES: Cue[] = [
  {
    pattern:
      /\b(?:(?:very|highly|extremely|quite|really|super) (?:speciali[sz]ed|niche|technical|unusual|esoteric|obscure)|(?:niche|specialist|speciali[sz]ed|esoteric|obscure) (?:domain|jargon|vocabulary|language|field|notation)|heavy (?:jargon|terminology)|far (?:from|away from) (?:general|web|internet|everyday|normal)|unlike (?:anything|web text|general text|normal text)|(?:domain|distribution) shift|out[- ]of[- ]domain|(?:the )?model (?:has )?never seen|not in (?:its|the) (?:training|pre-?training) data|low[- ]resource language|(?:proprietary|internal|custom) (?:language|dsl|notation|format|jargon|codebase)|(?:a )?(?:rare|minority) language)\b/,
    value: 'yes',
  },
  {
    pattern:
      /\b(?:(?:general|everyday|common|ordinary|normal|plain|standard|typical|regular) (?:english|text|language|domain|topics?|content|conversation|web text)|similar to (?:web|general|internet|everyday|normal) (?:text|content|data)|in[- ]domain|close to (?:general|web|pre-?training|normal)|(?:not|isn't|is not|aren't) (?:very |that |really |particularly )?(?:speciali[sz]ed|niche|technical|unusual|different)|no (?:big |major |real )?(?:domain )?shift|same domain)\b/,
    value: 'no',
  },
];

export const STAGE_CUES: Cue<Stage>[] = [
  {
    pattern:
      /\b(?:prototyp\w*|poc|proof[- ]of[- ]concept|mvp|experiment\w*|exploring|exploration|exploratory|pilot\w*|trying (?:it |things )?out|hackathon|demo|research project|spike|feasibility|early[- ]stage|validat\w* (?:the|an) idea)\b/,
    value: 'prototype',
  },
  {
    pattern:
      /\b(?:production|prod|go(?:ing)?[- ]live|live (?:traffic|users|customers)|in the hands of (?:customers|users)|ship(?:ping)? (?:it )?to (?:customers|users)|long[- ]term (?:deployment|use|product)|stable deployment|serving (?:customers|users)|general availability)\b/,
    value: 'production',
  },
];

export interface CueMatch<V extends string> {
  value: V;
  phrase: string;
  start: number;
  end: number;
}

/** Every cue that matches, longest first, overlapping ones dropped. */
export function cueMatches<V extends string>(text: string, cues: Cue<V>[]): CueMatch<V>[] {
  const all = cues.flatMap((cue) => {
    const m = cue.pattern.exec(text);
    return m ? [{ value: cue.value, phrase: m[0].trim(), start: m.index, end: m.index + m[0].length }] : [];
  });
  all.sort((a, b) => b.end - b.start - (a.end - a.start));
  const kept: CueMatch<V>[] = [];
  for (const m of all) if (!kept.some((k) => m.start < k.end && k.start < m.end)) kept.push(m);
  return kept;
}
