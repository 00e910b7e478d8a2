/**
 * Discord's documented message, component and command limits, checked on every payload the
 * stand-in receives: channel messages, webhook (interaction) messages and edits, interaction
 * callbacks, modals and command registration. A payload over a limit gets Discord's answer: HTTP
 * 400, code 50035 "Invalid Form Body", with the offending field's path in `errors`. Every value
 * checked is also recorded as a high-water mark.
 */
import { recordPayload } from '../../support/payload-high-water';

export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  embedTotal: 6000,
  rows: 5,
  rowButtons: 5,
  buttonLabel: 80,
  customId: 100,
  selectOptions: 25,
  optionText: 100,
  placeholder: 150,
  attachments: 10,
  /** Per file, on a server without boosts. */
  attachmentBytes: 10 * 1024 ** 2,
  modalTitle: 45,
  inputLabel: 45,
  commands: 100,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** Names of commands and options: lowercase letters, digits, - and _; 1 to 32 characters. */
const NAME = /^[-_\p{Ll}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

type Json = Record<string, unknown>;

export interface DiscordError {
  /** The offending fields as a path (`embeds.0.description`) and Discord's message for each. */
  fields: { path: string; code: string; message: string }[];
  /** The body Discord answers with (HTTP 400). */
  body: Json;
}

class Check {
  readonly fields: DiscordError['fields'] = [];
  constructor(readonly where: string) {}

  length(kind: string, path: string, value: number, limit: number, min = 0): void {
    recordPayload('discord', kind, value, limit, `${this.where} ${path}`);
    if (value > limit)
      this.fields.push({
        path,
        code: 'BASE_TYPE_MAX_LENGTH',
        message: `Must be ${limit} or fewer in length.`,
      });
    else if (value < min)
      this.fields.push({ path, code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${min} or more in length.` });
  }

  string(kind: string, path: string, value: unknown, limit: number, min = 0): number {
    if (typeof value !== 'string') return 0;
    this.length(kind, path, value.length, limit, min);
    return value.length;
  }

  items(kind: string, path: string, value: unknown, limit: number): Json[] {
    if (!Array.isArray(value)) return [];
    this.length(kind, path, value.length, limit);
    return value as Json[];
  }

  fail(path: string, code: string, message: string): void {
    this.fields.push({ path, code, message });
  }

  result(): DiscordError | undefined {
    if (!this.fields.length) return undefined;
    const errors: Json = {};
    for (const f of this.fields) {
      let node = errors;
      for (const part of f.path.split('.').filter(Boolean)) {
        node[part] = node[part] ?? {};
        node = node[part] as Json;
      }
      node._errors = [...((node._errors as Json[] | undefined) ?? []), { code: f.code, message: f.message }];
    }
    return { fields: this.fields, body: { code: 50035, message: 'Invalid Form Body', errors } };
  }
}

function embed(c: Check, e: Json, p: string): number {
  let total = c.string('embed title', `${p}.title`, e.title, DISCORD_LIMITS.embedTitle);
  total += c.string('embed description', `${p}.description`, e.description, DISCORD_LIMITS.embedDescription);
  total += c.string(
    'embed footer',
    `${p}.footer.text`,
    (e.footer as Json | undefined)?.text,
    DISCORD_LIMITS.footer,
  );
  total += c.string(
    'embed author',
    `${p}.author.name`,
    (e.author as Json | undefined)?.name,
    DISCORD_LIMITS.authorName,
  );
  for (const [i, f] of c
    .items('embed fields', `${p}.fields`, e.fields, DISCORD_LIMITS.embedFields)
    .entries()) {
    total += c.string('field name', `${p}.fields.${i}.name`, f.name, DISCORD_LIMITS.fieldName, 1);
    total += c.string('field value', `${p}.fields.${i}.value`, f.value, DISCORD_LIMITS.fieldValue, 1);
  }
  return total;
}

function component(c: Check, x: Json, p: string): void {
  c.string('custom_id', `${p}.custom_id`, x.custom_id, DISCORD_LIMITS.customId, 1);
  c.string('button label', `${p}.label`, x.label, DISCORD_LIMITS.buttonLabel);
  c.string('placeholder', `${p}.placeholder`, x.placeholder, DISCORD_LIMITS.placeholder);
  for (const [i, o] of c
    .items('select options', `${p}.options`, x.options, DISCORD_LIMITS.selectOptions)
    .entries()) {
    c.string('option label', `${p}.options.${i}.label`, o.label, DISCORD_LIMITS.optionText, 1);
    c.string('option value', `${p}.options.${i}.value`, o.value, DISCORD_LIMITS.optionText, 1);
    c.string('option description', `${p}.options.${i}.description`, o.description, DISCORD_LIMITS.optionText);
  }
}

function rows(c: Check, list: unknown, p: string, inModal = false): void {
  for (const [r, row] of c.items('action rows', p, list, DISCORD_LIMITS.rows).entries()) {
    const parts = c.items(
      'row components',
      `${p}.${r}.components`,
      row.components,
      DISCORD_LIMITS.rowButtons,
    );
    for (const [i, x] of parts.entries()) {
      const path = `${p}.${r}.components.${i}`;
      component(c, x, path);
      if (inModal) c.string('modal input label', `${path}.label`, x.label, DISCORD_LIMITS.inputLabel, 1);
    }
  }
}

function message(c: Check, body: Json, files: number, prefix = ''): void {
  const content = c.string('content', `${prefix}content`, body.content, DISCORD_LIMITS.content);
  recordPayload(
    'discord',
    `content, ${c.where}`,
    content,
    DISCORD_LIMITS.content,
    `${c.where} ${prefix}content`,
  );
  const embeds = c.items('embeds', `${prefix}embeds`, body.embeds, DISCORD_LIMITS.embeds);
  const total = embeds.reduce((n, e, i) => n + embed(c, e, `${prefix}embeds.${i}`), 0);
  if (embeds.length) {
    const route = c.where;
    recordPayload(
      'discord',
      `embed total characters, ${route}`,
      total,
      DISCORD_LIMITS.embedTotal,
      `${route} ${prefix}embeds`,
    );
    recordPayload(
      'discord',
      'embed total characters',
      total,
      DISCORD_LIMITS.embedTotal,
      `${c.where} ${prefix}embeds`,
    );
    if (total > DISCORD_LIMITS.embedTotal)
      c.fail(
        `${prefix}embeds`,
        'MAX_EMBED_SIZE_EXCEEDED',
        `Embed size exceeds maximum size of ${DISCORD_LIMITS.embedTotal}`,
      );
  }
  rows(c, body.components, `${prefix}components`);
  const attachments = Math.max(files, Array.isArray(body.attachments) ? body.attachments.length : 0);
  c.length('attachments', `${prefix}attachments`, attachments, DISCORD_LIMITS.attachments);
}

/** A message as POST/PATCH channel messages and webhook messages carry it, with its uploaded files. */
export function checkDiscordMessage(
  where: string,
  body: Json | undefined,
  fileBytes: number[],
): DiscordError | undefined {
  const c = new Check(where);
  message(c, body ?? {}, fileBytes.length);
  for (const [i, bytes] of fileBytes.entries())
    c.length('attachment bytes', `files.${i}`, bytes, DISCORD_LIMITS.attachmentBytes);
  return c.result();
}

/** An interaction callback: a message (types 4 and 7) or a modal (type 9). */
export function checkDiscordCallback(
  where: string,
  body: Json | undefined,
  fileBytes: number[],
): DiscordError | undefined {
  const c = new Check(where);
  const data = (body?.data as Json | undefined) ?? {};
  if (body?.type === 9) {
    c.string('modal title', 'data.title', data.title, DISCORD_LIMITS.modalTitle, 1);
    c.string('custom_id', 'data.custom_id', data.custom_id, DISCORD_LIMITS.customId, 1);
    rows(c, data.components, 'data.components', true);
  } else message(c, data, fileBytes.length, 'data.');
  return c.result();
}

function option(c: Check, o: Json, p: string): void {
  if (typeof o.name !== 'string' || !NAME.test(o.name))
    c.fail(`${p}.name`, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  c.string('command option name', `${p}.name`, o.name, DISCORD_LIMITS.commandName, 1);
  c.string('command description', `${p}.description`, o.description, DISCORD_LIMITS.commandDescription, 1);
  for (const [i, ch] of c
    .items('command choices', `${p}.choices`, o.choices, DISCORD_LIMITS.choices)
    .entries()) {
    c.string('choice name', `${p}.choices.${i}.name`, ch.name, DISCORD_LIMITS.choiceName, 1);
    c.string('choice value', `${p}.choices.${i}.value`, ch.value, DISCORD_LIMITS.choiceValue, 1);
  }
  for (const [i, sub] of c
    .items('command options', `${p}.options`, o.options, DISCORD_LIMITS.commandOptions)
    .entries())
    option(c, sub, `${p}.options.${i}`);
}

/** A bulk overwrite of commands (PUT /applications/:app/commands, also per guild). */
export function checkDiscordCommands(where: string, body: unknown): DiscordError | undefined {
  const c = new Check(where);
  const list = Array.isArray(body) ? (body as Json[]) : [];
  c.length('commands', '', list.length, DISCORD_LIMITS.commands);
  for (const [i, command] of list.entries()) {
    const chatInput = command.type === undefined || command.type === 1;
    if (chatInput) option(c, command, `${i}`);
    else c.string('command option name', `${i}.name`, command.name, DISCORD_LIMITS.commandName, 1);
  }
  return c.result();
}

/** A thread started from a message: its name is 1 to 100 characters. */
export function checkDiscordThread(where: string, body: Json | undefined): DiscordError | undefined {
  const c = new Check(where);
  c.string('thread name', 'name', body?.name, 100, 1);
  return c.result();
}

/** Checks a REST call by route; undefined when it is within every limit or carries none. */
export function checkDiscordCall(
  method: string,
  path: string,
  body: unknown,
  fileBytes: number[],
): DiscordError | undefined {
  const p = path.split('/').slice(1);
  const where = `${method} /${p[0] ?? ''}`;
  const json = body as Json | undefined;
  if (method === 'PUT' && p[0] === 'applications' && p.at(-1) === 'commands')
    return checkDiscordCommands(where, body);
  if (method === 'POST' && p[0] === 'interactions' && p[3] === 'callback')
    return checkDiscordCallback(where, json, fileBytes);
  if (method === 'POST' && p[0] === 'channels' && p[2] === 'messages' && p[4] === 'threads')
    return checkDiscordThread(where, json);
  const channelMessage = p[0] === 'channels' && p[2] === 'messages' && p.length <= 4;
  const webhookMessage = p[0] === 'webhooks' && (p.length === 3 || p[3] === 'messages');
  if ((method === 'POST' || method === 'PATCH') && (channelMessage || webhookMessage))
    return checkDiscordMessage(where, json, fileBytes);
  return undefined;
}
