/**
 * A neutral Reply as Slack messages: text sections, fields, tables as code blocks with their notes
 * in a context line, and buttons or selects. Images are not blocks: the poster uploads them to the
 * thread (files.uploadV2). This is where a reply is fitted to Slack's limits, never by failing:
 * sections are split at line breaks; tables too large for a message, or that would take a message
 * past the text Slack accepts, are attached as text files with a one-line summary in their place;
 * what still does not fit one message continues in further messages, split between blocks, so no
 * table row or number is ever cut.
 */
import type { types } from '@slack/bolt';
import type { Reply, Table } from '../../../src/chat/replies';
import { renderPlainTable, stripMarkdown } from '../../../src/render/plain-text';
import { shorten } from '../../../src/render/shorten';
import { actionBlocks } from './controls';
import { chunkLines, codeBlocks, toMrkdwn } from './mrkdwn';
import { tableFileName } from './table-files';

type KnownBlock = types.KnownBlock;

const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const FIELDS_PER_SECTION = 10;
const MAX_BLOCKS = 50;
/**
 * Text across all blocks of one message. Slack answers msg_blocks_too_long from about 11,000
 * characters in total although each block is within its own limit; this leaves room below that.
 */
export const MESSAGE_TEXT_BUDGET = 10_000;
/** A table whose code block would exceed this many characters is uploaded as a file instead. */
export const INLINE_TABLE_MAX = 2 * SECTION_MAX;

export interface SlackMessage {
  /** Notification and fallback text (plain). */
  text: string;
  blocks: KnownBlock[];
}

export interface RenderOptions {
  /** Extra Slack-only buttons appended to the reply's own controls. */
  extraButtons?: types.Button[];
  /** Leave the controls out (a superseded question keeps its text, loses its buttons). */
  withoutControls?: boolean;
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

function textBlocks(text: string): KnownBlock[] {
  if (!text.trim()) return [];
  return chunkLines(toMrkdwn(text), SECTION_MAX).map(section);
}

function fieldBlocks(reply: Reply): KnownBlock[] {
  const fields = (reply.fields ?? []).map((f) => ({
    type: 'mrkdwn' as const,
    text: shorten(`*${toMrkdwn(f.label)}*\n${toMrkdwn(f.value)}`, FIELD_MAX),
  }));
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < fields.length; i += FIELDS_PER_SECTION) {
    blocks.push({ type: 'section', fields: fields.slice(i, i + FIELDS_PER_SECTION) });
  }
  return blocks;
}

/** The aligned table body (no title, no notes) as plain text. */
export function tableText(table: Table): string {
  return renderPlainTable({ columns: table.columns, rows: table.rows });
}

export function tableFitsInline(table: Table): boolean {
  return tableText(table).length + 8 <= INLINE_TABLE_MAX;
}

function tableBlocks(table: Table, attachedAs: string | undefined): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (table.title) blocks.push(section(`*${toMrkdwn(table.title)}*`));
  if (attachedAs) {
    const rows = `${table.rows.length} row${table.rows.length === 1 ? '' : 's'}`;
    blocks.push(section(`_The table (${rows}) is attached below as ${attachedAs}._`));
    return blocks;
  }
  for (const block of codeBlocks(tableText(table), SECTION_MAX)) blocks.push(section(block));
  const notes = (table.notes ?? []).map((n) => toMrkdwn(n)).join('\n');
  for (const chunk of notes ? chunkLines(notes, FIELD_MAX) : []) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: chunk }] });
  }
  return blocks;
}

/** The characters of text a block shows (what Slack counts towards msg_blocks_too_long). */
function shownText(block: KnownBlock): number {
  const b = block as {
    text?: { text?: string };
    fields?: { text: string }[];
    elements?: { type: string; text?: unknown }[];
  };
  let n = b.text?.text?.length ?? 0;
  for (const f of b.fields ?? []) n += f.text.length;
  if (block.type === 'context')
    for (const e of b.elements ?? []) n += typeof e.text === 'string' ? e.text.length : 0;
  return n;
}

export const blocksText = (blocks: KnownBlock[]) => blocks.reduce((n, b) => n + shownText(b), 0);

function contentBlocks(reply: Reply, attached: Map<Table, string>): KnownBlock[] {
  const blocks = [...textBlocks(reply.text), ...fieldBlocks(reply)];
  for (const table of reply.tables ?? []) blocks.push(...tableBlocks(table, attached.get(table)));
  return blocks;
}

/**
 * The tables a reply sends as text files, with their file names: those too large for any message,
 * then the largest of the rest until the reply's text fits one message's budget.
 */
export function attachedTables(reply: Reply): Map<Table, string> {
  const tables = reply.tables ?? [];
  const names = new Map(tables.map((t, i) => [t, tableFileName(t, i)]));
  const attached = new Map<Table, string>();
  for (const t of tables) if (!tableFitsInline(t)) attached.set(t, names.get(t) ?? '');
  const largestFirst = tables
    .filter((t) => !attached.has(t))
    .sort((a, b) => tableText(b).length - tableText(a).length);
  for (const table of largestFirst) {
    if (blocksText(contentBlocks(reply, attached)) <= MESSAGE_TEXT_BUDGET) break;
    attached.set(table, names.get(table) ?? '');
  }
  return attached;
}

/** Plain text of a reply for notifications, search and clients without blocks. */
export function fallbackText(reply: Reply): string {
  return shorten(stripMarkdown(reply.text).trim() || 'Faceoff', SECTION_MAX);
}

/**
 * Consecutive blocks grouped into messages of at most MAX_BLOCKS blocks and MESSAGE_TEXT_BUDGET
 * characters; the first group leaves room for `reserved` blocks and characters (its controls).
 */
function pack(blocks: KnownBlock[], reserved: { blocks: number; text: number }): KnownBlock[][] {
  const groups: KnownBlock[][] = [[]];
  let text = reserved.text;
  let room = MAX_BLOCKS - reserved.blocks;
  for (const block of blocks) {
    const current = groups[groups.length - 1] as KnownBlock[];
    const size = shownText(block);
    if (current.length && (current.length >= room || text + size > MESSAGE_TEXT_BUDGET)) {
      groups.push([block]);
      text = size;
      room = MAX_BLOCKS;
    } else {
      current.push(block);
      text += size;
    }
  }
  return groups;
}

/**
 * The reply as one or more Slack messages, in posting order. The first carries the controls (it is
 * the message a key remembers and an edit replaces); further ones continue its text in the thread.
 */
export function renderMessages(reply: Reply, options: RenderOptions = {}): SlackMessage[] {
  const blocks = contentBlocks(reply, attachedTables(reply));
  const controls = options.withoutControls ? [] : actionBlocks(reply, options.extraButtons);
  const text = fallbackText(reply);
  if (blocks.length === 0) return [{ text, blocks: [section(toMrkdwn(text)), ...controls] }];
  const [first = [], ...more] = pack(blocks, { blocks: controls.length, text: blocksText(controls) });
  const count = more.length + 1;
  return [
    { text, blocks: [...first, ...controls] },
    ...more.map((group, i) => ({
      text: `${shorten(text, 200)} (continued, ${i + 2} of ${count})`,
      blocks: group,
    })),
  ];
}

/** The reply's first (or only) message: what an edit or an acknowledgement carries. */
export function renderReply(reply: Reply, options: RenderOptions = {}): SlackMessage {
  return renderMessages(reply, options)[0] as SlackMessage;
}
