/**
 * Which task profile a description is closest to: "support bot" is customer service, "chatbot
 * for our API docs" technical documentation, "summarization" is closest to technical
 * documentation (said as such), "translation" is none of them ("something else"). Each phrase
 * carries a weight; the profile with most weight wins, a tie is a question to ask.
 */
import { TASK_IDS, type TaskId, taskProfile } from '../tasks/profiles';
import { cleanMessage } from './text';

export type TaskTarget = TaskId | 'other';

export type TaskReading =
  /** `closest`: no profile is this task; `reason` says why this one is nearest. */
  | { kind: 'profile'; id: TaskId; closest: boolean; reason?: string; phrase: string }
  | { kind: 'other'; reason: string; phrase: string }
  | { kind: 'ambiguous'; options: TaskTarget[]; phrase: string };

export interface FoundTask {
  reading: TaskReading;
  start: number;
  end: number;
  /** How strongly the words point to it: 1 for a lone generic word ("bot", "data"), 3 for a name. */
  weight: number;
}

interface Cue {
  pattern: RegExp;
  target: string;
  weight: number;
  /** For tasks no profile covers: why the target is the nearest (or why none is). */
  closest?: string;
}

const cue = (pattern: RegExp, target: string, weight: number, closest?: string): Cue => ({
  pattern,
  target,
  weight,
  ...(closest ? { closest } : {}),
});

const SUMMARY = 'summarization rewrites a source faithfully in a set format, as documentation does';
const EXTRACTION =
  'it turns text into structured, domain-specific output with little creativity, as data analysis does';
const LEGAL =
  'contract review needs domain knowledge and structured findings, with little creativity, as data analysis does';
const PERSUASION = 'persuasive writing in a voice of its own is closest to creative writing';
const TRANSLATION = 'translation is a skill the base model mostly has; none of the five profiles covers it';
const NOT_TEXT =
  'the framework compares methods on text generation tasks; none of the five profiles covers this';

/** Phrases people use, beyond the profiles' own keywords (framework.json), with weights. */
const CUES: Cue[] = [
  cue(
    /\bcustomer (?:support|service|care|success|questions|inquiries|enquiries|emails?|chats?)\b/,
    'customer_service',
    3,
  ),
  cue(
    /\bsupport (?:bot|agent|assistant|chat|tickets?|desk|team|inbox|emails?|requests?|queries)\b/,
    'customer_service',
    3,
  ),
  cue(
    /\b(?:help ?desk|call cent(?:er|re)|live chat|complaints?|refunds?|returns handling)\b/,
    'customer_service',
    3,
  ),
  cue(/\bchat ?bots?\b|\bbots?\b|\bassistants?\b/, 'customer_service', 1),
  cue(
    /\bcode (?:gen(?:eration)?|completion|assistant|review|suggestions?|writing)\b|\bcopilot\b/,
    'code_generation',
    3,
  ),
  cue(
    /\b(?:text[- ]to[- ]sql|nl2sql|sql (?:generation|queries)|generat\w* sql|writ\w* sql)\b/,
    'code_generation',
    3,
  ),
  cue(
    /\b(?:coding|programming|python|javascript|typescript|java|rust|golang|c\+\+|unit tests?|refactor\w*|bug ?fix\w*|scripts?)\b/,
    'code_generation',
    2,
  ),
  cue(
    /\b(?:function calling|tool (?:use|calling)|api calls?|json output)\b/,
    'code_generation',
    2,
    'calling functions is writing structured code-like output',
  ),
  cue(
    /\b(?:creative|stor(?:y|ies)|fiction|novels?|poe(?:m|ms|try)|lyrics|screenplays?|song ?writing)\b/,
    'creative_writing',
    3,
  ),
  cue(
    /\b(?:copy ?writing|marketing (?:copy|emails?|content)|ad copy|slogans?|taglines?|brand voice|blog posts?|social media posts?)\b/,
    'creative_writing',
    3,
  ),
  cue(/\b(?:role ?play|persona|character voice|jokes|humou?r)\b/, 'creative_writing', 2),
  cue(
    /\b(?:(?:sales|marketing|outreach|cold|newsletter) (?:emails?|messages?|copy)|product descriptions?|email drafting|draft\w* emails?|ad texts?)\b/,
    'creative_writing',
    2,
    PERSUASION,
  ),
  cue(
    /\b(?:data analysis|analytics|analysts?|spreadsheets?|excel|csv|tabular|dashboards?|kpis?|business intelligence)\b/,
    'data_analysis',
    3,
  ),
  cue(/\b(?:analy[sz]\w*|statistics|metrics|forecast\w*|reporting)\b/, 'data_analysis', 2),
  cue(
    /\b(?:classif\w*|categori[sz]\w*|tagging|label+ing|sentiment|intent detection|topic detection|moderation)\b/,
    'data_analysis',
    2,
    EXTRACTION,
  ),
  cue(
    /\b(?:extract\w*|ner|named entit\w*|invoices?|receipts?|forms? processing|parsing documents?)\b/,
    'data_analysis',
    2,
    EXTRACTION,
  ),
  cue(/\b(?:contracts?|legal|clauses?|compliance|regulatory)\b/, 'data_analysis', 2, LEGAL),
  cue(
    /\b(?:documentation|docs|manuals?|readmes?|technical writing|knowledge base|kb articles?|how-?to guides?|release notes|changelogs?)\b/,
    'technical_documentation',
    3,
  ),
  cue(/\bapi (?:docs|reference|documentation)\b/, 'technical_documentation', 3),
  cue(
    /\b(?:summar\w*|tl;? ?dr|abstracts?|condens\w*|meeting notes|minutes)\b/,
    'technical_documentation',
    2,
    SUMMARY,
  ),
  cue(
    /\b(?:question answering|q ?& ?a|rag|retrieval)\b/,
    'technical_documentation',
    1,
    'answering from a body of reference text is closest to documentation',
  ),
  cue(/\b(?:translat\w*|locali[sz]\w*|multilingual|machine translation)\b/, 'other', 3, TRANSLATION),
  cue(
    /\b(?:speech|asr|transcri\w*|text[- ]to[- ]speech|tts|images?|vision|ocr|captioning|diffusion|video)\b/,
    'other',
    3,
    NOT_TEXT,
  ),
  cue(/\b(?:recommend\w*|ranking|search ranking|embeddings?)\b/, 'other', 2, NOT_TEXT),
  cue(
    /\b(?:math|maths|mathematical proofs?|reasoning|theorem proving|theorems?|puzzles?)\b/,
    'other',
    2,
    'reasoning tasks are none of the five profiles',
  ),
];

const OTHER_WORDS = /^(?:other|something else|none of (?:these|them|the above)|none|neither|different|else)$/;

/** The task profile a text describes, with where its strongest phrase stands. */
export function findTask(input: string): FoundTask | undefined {
  const text = input.replace(/[_]+/g, ' ');
  const direct = text.trim().replace(/[\s-]+/g, '_');
  if ((TASK_IDS as readonly string[]).includes(direct))
    return {
      reading: { kind: 'profile', id: direct as TaskId, closest: false, phrase: text.trim() },
      start: 0,
      end: text.length,
      weight: 3,
    };
  if (OTHER_WORDS.test(text.trim()))
    return {
      reading: { kind: 'other', reason: 'you said none of the five profiles fits', phrase: text.trim() },
      start: 0,
      end: text.length,
      weight: 3,
    };
  const scores = new Map<
    string,
    { weight: number; closest?: string; start: number; end: number; phrase: string; direct: boolean }
  >();
  const add = (target: string, weight: number, m: RegExpExecArray, closest?: string) => {
    const entry = scores.get(target);
    const direct = !closest;
    if (!entry) {
      scores.set(target, {
        weight,
        start: m.index,
        end: m.index + m[0].length,
        phrase: m[0],
        direct,
        ...(closest ? { closest } : {}),
      });
      return;
    }
    entry.weight += weight;
    entry.direct ||= direct;
    if (!entry.closest && closest) entry.closest = closest;
  };
  for (const c of CUES) {
    const m = c.pattern.exec(text);
    if (m) add(c.target, c.weight, m, c.closest);
  }
  for (const id of TASK_IDS) {
    const m = taskProfile(id).keywords.exec(text);
    if (m) add(id, 1, m);
  }
  const ranked = [...scores.entries()].sort((a, b) => b[1].weight - a[1].weight);
  const [best, second] = ranked;
  if (!best) return undefined;
  const [target, entry] = best;
  const span = { start: entry.start, end: entry.end, weight: entry.weight };
  if (second && second[1].weight === entry.weight)
    return {
      reading: {
        kind: 'ambiguous',
        options: ranked.filter(([, e]) => e.weight === entry.weight).map(([t]) => t as TaskTarget),
        phrase: entry.phrase,
      },
      ...span,
    };
  if (target === 'other')
    return {
      reading: {
        kind: 'other',
        reason: entry.closest ?? 'none of the five profiles covers it',
        phrase: entry.phrase,
      },
      ...span,
    };
  const closest = !entry.direct;
  return {
    reading: {
      kind: 'profile',
      id: target as TaskId,
      closest,
      ...(closest && entry.closest ? { reason: entry.closest } : {}),
      phrase: entry.phrase,
    },
    ...span,
  };
}

/** Reads a task answer from the whole text. */
export function readTask(input: string): TaskReading | undefined {
  return findTask(cleanMessage(input))?.reading;
}
