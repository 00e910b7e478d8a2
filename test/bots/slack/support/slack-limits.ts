/**
 * Slack's documented Block Kit and Web API limits, checked on every payload the stand-in receives:
 * messages (posted, updated, ephemeral, response_url), modals and uploads. A payload over a limit
 * gets the answer Slack gives: `invalid_blocks` with `must be less than N characters
 * [json-pointer:/blocks/0/text/text]`, `msg_blocks_too_long` past the total block text Slack accepts,
 * `msg_too_long` for the text argument, `invalid_arguments` for a view. Every value checked is also
 * recorded as a high-water mark.
 */
import { recordPayload } from '../../../support/payload-high-water';

/** The limits as Slack documents them (Block Kit reference, chat.postMessage, views.open). */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  actionId: 255,
  blockId: 255,
  buttonValue: 2000,
  placeholder: 150,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  inputLabel: 2000,
  viewTitle: 24,
  viewSubmit: 24,
  viewClose: 24,
  privateMetadata: 3000,
  callbackId: 255,
  messageText: 40_000,
  /** Past about this much text in all blocks together Slack answers msg_blocks_too_long. */
  totalBlockText: 11_000,
  uploadBytes: 1024 ** 3,
} as const;

type Json = Record<string, unknown>;

export interface SlackRejection {
  error: string;
  /** Slack's own detail lines, each naming the JSON pointer of the offending value. */
  errors: string[];
}

class Check {
  readonly errors: string[] = [];
  constructor(readonly where: string) {}

  /** A length (characters or items) against its limit. */
  length(kind: string, pointer: string, value: number, limit: number, unit = 'characters'): void {
    recordPayload('slack', kind, value, limit, `${this.where} ${pointer}`);
    if (value > limit) this.errors.push(`must be less than ${limit + 1} ${unit} [json-pointer:${pointer}]`);
  }

  text(kind: string, pointer: string, obj: unknown, limit: number): number {
    const text = (obj as { text?: unknown } | undefined)?.text;
    if (typeof text !== 'string') return 0;
    this.length(kind, `${pointer}/text`, text.length, limit);
    return text.length;
  }

  string(kind: string, pointer: string, value: unknown, limit: number): void {
    if (typeof value === 'string') this.length(kind, pointer, value.length, limit);
  }
}

function element(c: Check, e: Json, p: string): void {
  c.string('action_id', `${p}/action_id`, e.action_id, SLACK_LIMITS.actionId);
  if (e.type === 'button') {
    c.text('button text', `${p}/text`, e.text, SLACK_LIMITS.buttonText);
    c.string('button value', `${p}/value`, e.value, SLACK_LIMITS.buttonValue);
  }
  c.text('placeholder', `${p}/placeholder`, e.placeholder, SLACK_LIMITS.placeholder);
  const options = e.options as Json[] | undefined;
  if (options) {
    c.length('select options', `${p}/options`, options.length, SLACK_LIMITS.selectOptions, 'items');
    options.forEach((o, i) => {
      c.text('option text', `${p}/options/${i}/text`, o.text, SLACK_LIMITS.optionText);
      c.string('option value', `${p}/options/${i}/value`, o.value, SLACK_LIMITS.optionValue);
    });
  }
  if (typeof e.initial_value === 'string')
    c.string('input initial value', `${p}/initial_value`, e.initial_value, 3000);
}

/** Checks one block; returns the characters of text it shows (for the message total). */
function block(c: Check, b: Json, p: string): number {
  c.string('block_id', `${p}/block_id`, b.block_id, SLACK_LIMITS.blockId);
  let shown = 0;
  switch (b.type) {
    case 'section': {
      shown += c.text('section text', `${p}/text`, b.text, SLACK_LIMITS.sectionText);
      const fields = (b.fields as Json[] | undefined) ?? [];
      if (b.fields)
        c.length('section fields', `${p}/fields`, fields.length, SLACK_LIMITS.sectionFields, 'items');
      fields.forEach((f, i) => {
        shown += c.text('field text', `${p}/fields/${i}`, f, SLACK_LIMITS.fieldText);
      });
      if (b.accessory) element(c, b.accessory as Json, `${p}/accessory`);
      break;
    }
    case 'header':
      shown += c.text('header text', `${p}/text`, b.text, SLACK_LIMITS.headerText);
      break;
    case 'context': {
      const elements = (b.elements as Json[] | undefined) ?? [];
      c.length('context elements', `${p}/elements`, elements.length, SLACK_LIMITS.contextElements, 'items');
      elements.forEach((e, i) => {
        if (e.type !== 'image')
          shown += c.text('context text', `${p}/elements/${i}`, e, SLACK_LIMITS.contextText);
      });
      break;
    }
    case 'actions': {
      const elements = (b.elements as Json[] | undefined) ?? [];
      c.length('actions elements', `${p}/elements`, elements.length, SLACK_LIMITS.actionsElements, 'items');
      for (const [i, e] of elements.entries()) element(c, e, `${p}/elements/${i}`);
      break;
    }
    case 'input':
      c.text('input label', `${p}/label`, b.label, SLACK_LIMITS.inputLabel);
      c.text('input hint', `${p}/hint`, b.hint, SLACK_LIMITS.inputLabel);
      if (b.element) element(c, b.element as Json, `${p}/element`);
      break;
  }
  return shown;
}

function blocks(c: Check, list: unknown, pointer: string, max: number, kind: string): number {
  if (!Array.isArray(list)) return 0;
  c.length(kind, pointer, list.length, max, 'items');
  return (list as Json[]).reduce((n, b, i) => n + block(c, b, `${pointer}/${i}`), 0);
}

/** A message as chat.postMessage, chat.update, chat.postEphemeral or a response_url body carries it. */
export function checkSlackMessage(where: string, args: Json): SlackRejection | undefined {
  const c = new Check(where);
  if (typeof args.text === 'string') {
    recordPayload('slack', 'message text', args.text.length, SLACK_LIMITS.messageText, `${where} /text`);
    if (args.text.length > SLACK_LIMITS.messageText) return { error: 'msg_too_long', errors: [] };
  }
  const shown = blocks(c, args.blocks, '/blocks', SLACK_LIMITS.messageBlocks, 'message blocks');
  if (c.errors.length) return { error: 'invalid_blocks', errors: c.errors };
  if (Array.isArray(args.blocks)) {
    recordPayload('slack', 'total block text', shown, SLACK_LIMITS.totalBlockText, `${where} /blocks`);
    recordPayload(
      'slack',
      `total block text, ${where}`,
      shown,
      SLACK_LIMITS.totalBlockText,
      `${where} /blocks`,
    );
    if (shown > SLACK_LIMITS.totalBlockText)
      return {
        error: 'msg_blocks_too_long',
        errors: [`block text totals ${shown} characters [json-pointer:/blocks]`],
      };
  }
  return undefined;
}

/** A modal as views.open, views.push or views.update carries it. */
export function checkSlackView(where: string, view: Json | undefined): SlackRejection | undefined {
  if (!view) return undefined;
  const c = new Check(where);
  c.text('view title', '/view/title', view.title, SLACK_LIMITS.viewTitle);
  c.text('view submit', '/view/submit', view.submit, SLACK_LIMITS.viewSubmit);
  c.text('view close', '/view/close', view.close, SLACK_LIMITS.viewClose);
  c.string(
    'view private_metadata',
    '/view/private_metadata',
    view.private_metadata,
    SLACK_LIMITS.privateMetadata,
  );
  c.string('view callback_id', '/view/callback_id', view.callback_id, SLACK_LIMITS.callbackId);
  blocks(c, view.blocks, '/view/blocks', SLACK_LIMITS.modalBlocks, 'modal blocks');
  return c.errors.length
    ? { error: 'invalid_arguments', errors: c.errors.map((e) => `[ERROR] ${e}`) }
    : undefined;
}

/** One uploaded file's bytes (the multipart POST to the upload URL). */
export function checkSlackUpload(where: string, bytes: number): SlackRejection | undefined {
  recordPayload('slack', 'upload bytes', bytes, SLACK_LIMITS.uploadBytes, where);
  return bytes > SLACK_LIMITS.uploadBytes ? { error: 'file_too_large', errors: [] } : undefined;
}

/** Checks a Web API call by method; undefined when the method carries nothing Slack limits here. */
export function checkSlackCall(method: string, args: Json): SlackRejection | undefined {
  switch (method) {
    case 'chat.postMessage':
    case 'chat.update':
    case 'chat.postEphemeral':
      return checkSlackMessage(method, args);
    case 'views.open':
    case 'views.push':
    case 'views.update':
    case 'views.publish':
      return checkSlackView(method, args.view as Json | undefined);
    default:
      return undefined;
  }
}
