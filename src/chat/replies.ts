/**
 * A reply in neutral form. Adapters render it as Block Kit, Discord embeds/components or plain text.
 * Text uses light markdown: *bold*, _italic_, `code` and line breaks.
 */
export interface Button {
  actionId: string;
  value: string;
  label: string;
  style?: 'primary' | 'danger';
}

export interface SelectOption {
  value: string;
  label: string;
}

export interface Select {
  actionId: string;
  placeholder: string;
  options: SelectOption[];
}

export interface Field {
  label: string;
  value: string;
}

export type Align = 'left' | 'right';

export interface Table {
  title?: string;
  columns: { header: string; align?: Align }[];
  rows: string[][];
  /** Notes printed under the table (units, sources, caveats). */
  notes?: string[];
}

export interface ImageAttachment {
  filename: string;
  png: Uint8Array;
  altText: string;
  title?: string;
}

/**
 * A file on this machine that a reply shares (a trained adapter's archive, a report). Adapters send
 * it from disk when they post the reply, streaming it where the platform's client allows, so a file
 * of hundreds of MB is never held whole in memory by the core. Whether it fits the platform is the
 * command's choice (see PlatformCapabilities.maxUploadBytes); an adapter that cannot send it (over
 * the limit, missing) posts the reply with a line saying so instead of the file.
 */
export interface FileAttachment {
  /** The name it is shared under, e.g. `adapter-abc1234.tar.gz`. */
  filename: string;
  /** A local file to send; read when the reply is posted. */
  path: string;
  /** Its size in bytes, as the command measured it (the adapter measures it again before sending). */
  bytes: number;
  /** MIME type, e.g. `application/gzip`; default `application/octet-stream`. */
  contentType?: string;
  /** Shown with the file where the platform has titles (Slack) or descriptions (Discord). */
  title?: string;
}

export interface Reply {
  text: string;
  /** Only the asking user sees it where the platform allows (help, errors). */
  ephemeral?: boolean;
  fields?: Field[];
  tables?: Table[];
  buttons?: Button[];
  select?: Select;
  images?: ImageAttachment[];
  /** Files shared with the reply, in the same thread (see FileAttachment). */
  files?: FileAttachment[];
  /** Replace an earlier message this bot posted (progress updates), by the key it was posted under. */
  replaceKey?: string;
  /** Key under which the adapter remembers this message so it can be replaced later. */
  key?: string;
  /**
   * Names this message so that sending it again posts nothing new where the platform can tell
   * (Discord's message nonce): the outbox sets it, so a notice retried after a crash between the
   * post and its record is not posted twice.
   */
  onceKey?: string;
  /** What the reply is about, as data (the job it queued, the dataset it registered). */
  refs?: { jobId?: string; datasetId?: string };
}

export function textReply(text: string, extra: Partial<Reply> = {}): Reply {
  return { text, ...extra };
}

export function errorReply(text: string): Reply {
  return { text, ephemeral: true };
}
