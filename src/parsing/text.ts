/**
 * Chat text as the answer readers see it: compatibility forms folded, invisible characters and
 * chat mentions (`<@U123>`, `<#C1|general>`) dropped, typographic quotes and dashes made plain,
 * lower case, one space between words. Long messages are read from their first 2,000 characters.
 */
export const MAX_READ_CHARS = 2000;

const FORMAT_CHARACTERS = /\p{Cf}/gu;
const MENTIONS = /<[@#!][^<>\s]{0,80}>/g;

export function cleanMessage(text: string): string {
  return text
    .slice(0, MAX_READ_CHARS * 2)
    .normalize('NFKC')
    .slice(0, MAX_READ_CHARS)
    .replace(FORMAT_CHARACTERS, '')
    .replace(MENTIONS, ' ')
    .replace(/[\u2018\u2019\u201a\u201b\u2032`]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u00ab\u00bb]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The cleaned text without trailing punctuation: "Yes!" and "yes" read alike. */
export function cleanAnswer(text: string): string {
  return cleanMessage(text)
    .replace(/[\s.!?,;:)]+$/g, '')
    .trim();
}

/** Shows a typed text back to its author, shortened: `"a couple of weeks"`. */
export function quoted(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `"${flat.length > max ? `${flat.slice(0, max - 1)}…` : flat}"`;
}
