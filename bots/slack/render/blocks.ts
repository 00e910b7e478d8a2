/**
 * A neutral Reply as a Slack message: text sections, fields, tables as code blocks with their notes
 * in a context line, and buttons or selects. Images are not blocks: the poster uploads them to the
 * thread (files.uploadV2). Block Kit's size limits are respected by splitting, never by failing.
 */
import type { types } from '@slack/bolt';
import type { Reply, Table } from '../../../src/chat/replies';
import { renderPlainTable, stripMarkdown } from '../../../src/render/plain-text';
import { actionBlocks } from './controls';
import { chunkLines, codeBlocks, toMrkdwn, truncate } from './mrkdwn';

type KnownBlock = types.KnownBlock;

const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const FIELDS_PER_SECTION = 10;
const MAX_BLOCKS = 50;
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
    text: truncate(`*${toMrkdwn(f.label)}*\n${toMrkdwn(f.value)}`, FIELD_MAX),
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

function tableBlocks(table: Table): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (table.title) blocks.push(section(`*${toMrkdwn(table.title)}*`));
  if (tableFitsInline(table)) {
    for (const block of codeBlocks(tableText(table), SECTION_MAX)) blocks.push(section(block));
  } else {
    blocks.push(section(`_The table has ${table.rows.length} rows: it is attached as a text file below._`));
  }
  const notes = (table.notes ?? []).map((n) => toMrkdwn(n)).join('\n');
  for (const chunk of notes ? chunkLines(notes, FIELD_MAX) : []) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: chunk }] });
  }
  return blocks;
}

/** Plain text of a reply for notifications, search and clients without blocks. */
export function fallbackText(reply: Reply): string {
  return truncate(stripMarkdown(reply.text).trim() || 'Faceoff', SECTION_MAX);
}

export function renderReply(reply: Reply, options: RenderOptions = {}): SlackMessage {
  let blocks: KnownBlock[] = [...textBlocks(reply.text), ...fieldBlocks(reply)];
  for (const table of reply.tables ?? []) blocks.push(...tableBlocks(table));
  const controls = options.withoutControls ? [] : actionBlocks(reply, options.extraButtons);
  if (blocks.length + controls.length > MAX_BLOCKS) {
    blocks = [
      ...blocks.slice(0, MAX_BLOCKS - controls.length - 1),
      section('_(cut to fit one Slack message)_'),
    ];
  }
  blocks.push(...controls);
  if (blocks.length === 0) blocks.push(section(toMrkdwn(fallbackText(reply))));
  return { text: fallbackText(reply), blocks };
}
