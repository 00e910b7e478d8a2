import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type AttachmentPayload,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import type { Reply, Table } from '../../src/chat/replies';
import { renderPlainTable } from '../../src/render/plain-text';
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

/** Attachment names Discord accepts, unique within the message. */
function fileNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((raw, i) => {
    let name = raw.replace(/[^\w.-]+/g, '_') || `image-${i + 1}.png`;
    if (seen.has(name)) name = `${i + 1}-${name}`;
    seen.add(name);
    return name;
  });
}

const plainTable = (table: Table) => renderPlainTable({ ...table, title: undefined });

/**
 * Plain text becomes the message content; replies with fields, tables or images become embeds:
 * the text with the fields (and the first image), one embed per table in a code block, one per further
 * image. Tables that do not fit Discord's embed limits travel as a text attachment instead.
 */
export function renderReply(reply: Reply): DiscordPayload {
  const text = toDiscordMarkdown(reply.text);
  const components = renderComponents(reply);
  const images = (reply.images ?? []).slice(0, LIMITS.files - 1);
  const names = fileNames(images.map((i) => i.filename));
  const files: AttachmentPayload[] = images.map((image, i) => ({
    attachment: Buffer.from(image.png),
    name: names[i] ?? `image-${i + 1}.png`,
    description: truncate(image.altText, 1024),
  }));
  const tables = reply.tables ?? [];
  const rich =
    (reply.fields?.length ?? 0) > 0 || tables.length > 0 || images.length > 0 || text.length > LIMITS.content;
  if (!rich) return { content: text, embeds: [], components, files };

  const main: APIEmbed = { color: EMBED_COLOUR, description: truncate(text, LIMITS.description) };
  const fields = (reply.fields ?? []).slice(0, LIMITS.fields).map((f) => ({
    name: truncate(f.label, LIMITS.fieldName),
    value: truncate(toDiscordMarkdown(f.value) || '-', LIMITS.fieldValue),
  }));
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
  if (fits) return { content: '', embeds: all, components, files };

  if (tables.length) {
    const note = `\n\n_${tables.length === 1 ? 'The table is' : 'The tables are'} attached as ${TABLES_FILE}._`;
    main.description = truncate(text, LIMITS.description - note.length) + note;
    const tablesText = tables.map((t) => [t.title, plainTable(t)].filter(Boolean).join('\n')).join('\n\n');
    files.push({
      attachment: Buffer.from(tablesText, 'utf8'),
      name: TABLES_FILE,
      description: 'Tables as plain text',
    });
  }
  while (embedLength(main) > LIMITS.embedTotal && main.fields?.length) main.fields = main.fields.slice(0, -1);
  if (embedLength(main) > LIMITS.embedTotal) {
    main.description = truncate(
      main.description ?? '',
      LIMITS.embedTotal - embedLength({ ...main, description: '' }),
    );
  }
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
