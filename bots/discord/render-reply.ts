import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type AttachmentPayload,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import type { Reply, Table } from '../../src/chat/replies';
import { renderPlainReply, renderPlainTable } from '../../src/render/plain-text';
import { shorten } from '../../src/render/shorten';
import { encodeCustomId } from './component-ids';
import { codeBlock, toDiscordMarkdown, truncate } from './markdown';

/** Discord's message limits. */
export const LIMITS = {
  content: 2000,
  description: 4096,
  title: 256,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  embeds: 10,
  embedTotal: 6000,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  selectOptions: 25,
  selectText: 100,
  files: 10,
} as const;

export const EMBED_COLOUR = 0x5865f2;
export const TABLES_FILE = 'tables.txt';
/** The whole reply as plain text, attached when its text or fields had to be shortened to fit. */
export const REPLY_FILE = 'reply.txt';

/** A neutral reply as a Discord message: what both posting and editing send. */
export interface DiscordPayload {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  files: AttachmentPayload[];
}

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

function renderComponents(reply: Reply): Row[] {
  const rows: Row[] = [];
  if (reply.select) {
    const customId = encodeCustomId(reply.select.actionId, '');
    const options = reply.select.options.slice(0, LIMITS.selectOptions).map((o) => ({
      label: truncate(o.label, LIMITS.selectText),
      value: truncate(o.value, LIMITS.selectText),
    }));
    if (customId && options.length) {
      rows.push({
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: customId,
            placeholder: truncate(reply.select.placeholder, 150),
            options,
          },
        ],
      });
    }
  }
  const buttons = (reply.buttons ?? []).flatMap((b) => {
    const customId = encodeCustomId(b.actionId, b.value);
    if (!customId) return [];
    const style: ButtonStyle.Primary | ButtonStyle.Danger | ButtonStyle.Secondary =
      b.style === 'primary'
        ? ButtonStyle.Primary
        : b.style === 'danger'
          ? ButtonStyle.Danger
          : ButtonStyle.Secondary;
    return [
      {
        type: ComponentType.Button as const,
        custom_id: customId,
        label: truncate(b.label, LIMITS.buttonLabel),
        style,
      },
    ];
  });
  for (let i = 0; i < buttons.length && rows.length < LIMITS.rows; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return rows;
}

const embedLength = (e: APIEmbed) =>
  (e.title?.length ?? 0) +
  (e.description?.length ?? 0) +
  (e.footer?.text.length ?? 0) +
  (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

/** Attachment names Discord accepts, unique within the message; `fallback` names an empty one. */
function fileNames(names: string[], fallback: (i: number) => string): string[] {
  const seen = new Set<string>();
  return names.map((raw, i) => {
    let name = raw.replace(/[^\w.-]+/g, '_') || fallback(i);
    if (seen.has(name)) name = `${i + 1}-${name}`;
    seen.add(name);
    return name;
  });
}

const WHOLE_REPLY_NOTE = `\n\n_Shortened to fit Discord: the whole reply is attached as ${REPLY_FILE}._`;

/**
 * Puts `text`, shortened to leave room, `tail` and a note that the reply was shortened in the first
 * embed's description, and attaches the whole reply as plain text.
 */
function withWholeReply(
  embeds: APIEmbed[],
  files: AttachmentPayload[],
  reply: Reply,
  text: string,
  tail = '',
): APIEmbed[] {
  const [main] = embeds;
  if (!main) return embeds;
  const others = embeds.slice(1).reduce((n, e) => n + embedLength(e), 0);
  const extra = tail.length + WHOLE_REPLY_NOTE.length;
  const room = Math.min(
    LIMITS.description - extra,
    LIMITS.embedTotal - others - embedLength({ ...main, description: '' }) - extra,
  );
  main.description = shorten(text, room) + tail + WHOLE_REPLY_NOTE;
  files.push({
    attachment: Buffer.from(renderPlainReply(reply), 'utf8'),
    name: REPLY_FILE,
    description: 'The whole reply as plain text',
  });
  return embeds;
}

const plainTable = (table: Table) => renderPlainTable({ ...table, title: undefined });

/**
 * Plain text becomes the message content; replies with fields, tables or images become embeds:
 * the text with the fields (and the first image), one embed per table in a code block, one per further
 * image. Shared files (reply.files, checked by ChannelPoster.prepare) are attached by path. This is where a reply is fitted to Discord's limits: tables that do not fit travel as a
 * text attachment (tables.txt) with a line saying so; text or fields that still do not fit are
 * shortened at a line or word break and the whole reply is attached as reply.txt, so nothing is
 * lost and no table row or number is cut.
 */
export function renderReply(reply: Reply): DiscordPayload {
  const text = toDiscordMarkdown(reply.text);
  const components = renderComponents(reply);
  const shared = (reply.files ?? []).slice(0, LIMITS.files - 2);
  const images = (reply.images ?? []).slice(0, LIMITS.files - 2 - shared.length);
  const allNames = fileNames([...images.map((i) => i.filename), ...shared.map((f) => f.filename)], (i) =>
    i < images.length ? `image-${i + 1}.png` : `file-${i + 1}`,
  );
  const names = allNames.slice(0, images.length);
  const files: AttachmentPayload[] = images.map((image, i) => ({
    attachment: Buffer.from(image.png),
    name: names[i] ?? `image-${i + 1}.png`,
    description: truncate(image.altText, 1024),
  }));
  // A shared file goes by its path: discord.js reads it when the message is sent.
  shared.forEach((file, i) => {
    const name = allNames[images.length + i] ?? `file-${i + 1}`;
    files.push({ attachment: file.path, name, description: truncate(file.title ?? file.filename, 1024) });
  });
  const tables = reply.tables ?? [];
  const rich =
    (reply.fields?.length ?? 0) > 0 || tables.length > 0 || images.length > 0 || text.length > LIMITS.content;
  if (!rich) return { content: text, embeds: [], components, files };

  const main: APIEmbed = { color: EMBED_COLOUR, description: shorten(text, LIMITS.description) };
  const fields = (reply.fields ?? []).slice(0, LIMITS.fields).map((f) => ({
    name: shorten(f.label, LIMITS.fieldName),
    value: shorten(toDiscordMarkdown(f.value) || '-', LIMITS.fieldValue),
  }));
  let shortened =
    text.length > LIMITS.description ||
    (reply.fields?.length ?? 0) > LIMITS.fields ||
    fields.some((f, i) => f.value !== (toDiscordMarkdown(reply.fields?.[i]?.value ?? '') || '-'));
  if (fields.length) main.fields = fields;
  if (images[0]) main.image = { url: `attachment://${names[0]}` };
  const imageEmbeds: APIEmbed[] = images.slice(1).map((image, i) => ({
    color: EMBED_COLOUR,
    ...(image.title ? { title: truncate(image.title, LIMITS.title) } : {}),
    image: { url: `attachment://${names[i + 1]}` },
  }));
  const tableEmbeds: APIEmbed[] = tables.map((t) => ({
    color: EMBED_COLOUR,
    ...(t.title ? { title: truncate(t.title, LIMITS.title) } : {}),
    description: codeBlock(plainTable(t)),
  }));
  const all = [main, ...tableEmbeds, ...imageEmbeds];
  const fits =
    all.length <= LIMITS.embeds &&
    all.reduce((n, e) => n + embedLength(e), 0) <= LIMITS.embedTotal &&
    tableEmbeds.every((e) => (e.description?.length ?? 0) <= LIMITS.description);
  if (fits && !shortened) return { content: '', embeds: all, components, files };
  if (fits) return { content: '', embeds: withWholeReply(all, files, reply, text), components, files };

  let tail = '';
  if (tables.length) {
    tail = `\n\n_${tables.length === 1 ? 'The table is' : 'The tables are'} attached as ${TABLES_FILE}._`;
    const tablesText = tables.map((t) => [t.title, plainTable(t)].filter(Boolean).join('\n')).join('\n\n');
    files.push({
      attachment: Buffer.from(tablesText, 'utf8'),
      name: TABLES_FILE,
      description: 'Tables as plain text',
    });
  }
  shortened ||= text.length > LIMITS.description - tail.length;
  main.description = shorten(text, LIMITS.description - tail.length);
  const room = LIMITS.embedTotal - WHOLE_REPLY_NOTE.length - tail.length;
  while (embedLength(main) > room && main.fields?.length) {
    main.fields = main.fields.slice(0, -1);
    shortened = true;
  }
  if (embedLength(main) > room) shortened = true;
  if (shortened) withWholeReply([main], files, reply, text, tail);
  else main.description += tail;
  const embeds = [main];
  for (const e of imageEmbeds) {
    if (
      embeds.length < LIMITS.embeds &&
      embeds.reduce((n, x) => n + embedLength(x), embedLength(e)) <= LIMITS.embedTotal
    )
      embeds.push(e);
  }
  return { content: '', embeds, components, files };
}
