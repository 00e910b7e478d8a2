import type { ConversationRef } from './conversation';

export interface UserRef {
  id: string;
  name?: string;
  /** Platform-granted admin (Slack workspace admin, Discord Manage Server). */
  isAdmin?: boolean;
  /** Role or group ids the user holds (Discord roles, Slack user groups) that access rules name. */
  roles?: readonly string[];
}

/** What a download wrote: its length and SHA-256 (hex). */
export interface DownloadedFile {
  bytes: number;
  sha256: string;
}

/** A file a user shared in the conversation, downloaded through the adapter when the core asks. */
export interface SharedFile {
  name: string;
  /** As the platform declared it (0 when unknown). */
  size: number;
  mimeType?: string;
  /**
   * Streams the file into `toPath` (created; it must not exist), never holding it whole in memory.
   * Rejects with a FileTransferError, and leaves no file behind, once more than `maxBytes` arrive,
   * when the platform refuses, or when it is too slow.
   */
  download: (toPath: string, maxBytes: number) => Promise<DownloadedFile>;
}

/** A download that failed for a reason the user may read (too large, refused, too slow). */
export class FileTransferError extends Error {
  override name = 'FileTransferError';
}

interface BaseEvent {
  conversation: ConversationRef;
  user: UserRef;
  /** Platform delivery id, used to drop duplicate deliveries. */
  deliveryId?: string;
}

/** `/faceoff <name> <args...>`; `text` is everything after the slash command. */
export interface CommandEvent extends BaseEvent {
  kind: 'command';
  text: string;
}

export interface MessageEvent extends BaseEvent {
  kind: 'message';
  text: string;
}

/** A button press or select choice; `actionId` names the control, `value` the choice. */
export interface ChoiceEvent extends BaseEvent {
  kind: 'choice';
  actionId: string;
  value: string;
  /** The message that carried the control, so it can be replaced by the answer. */
  messageRef?: string;
}

export interface FileEvent extends BaseEvent {
  kind: 'file';
  file: SharedFile;
  text?: string;
}

export type IncomingEvent = CommandEvent | MessageEvent | ChoiceEvent | FileEvent;
