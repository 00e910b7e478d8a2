import type { ConversationRef } from './conversation';

export interface UserRef {
  id: string;
  name?: string;
  /** Platform-granted admin (Slack workspace admin, Discord Manage Server). */
  isAdmin?: boolean;
  /** Role or group ids the user holds (Discord roles, Slack user groups) that access rules name. */
  roles?: readonly string[];
}

/** A file a user shared in the conversation; `fetch` downloads it through the adapter. */
export interface SharedFile {
  name: string;
  size: number;
  mimeType?: string;
  fetch: () => Promise<Uint8Array>;
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
