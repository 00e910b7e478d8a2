import { createHash } from 'node:crypto';
import { type Client, DiscordAPIError, type Message, RESTJSONErrorCodes } from 'discord.js';
import { type ConversationRef, conversationKey } from '../../src/chat/conversation';
import { refusalLine, withSendableFiles } from '../../src/chat/file-attachments';
import type { PlatformCapabilities } from '../../src/chat/platform-capabilities';
import type { Reply } from '../../src/chat/replies';
import { KeyedLock } from '../../src/conversation/keyed-lock';
import { chatEditIntervalMs, EditPacer } from '../edit-pacer';
import { DISCORD_DEFAULT_UPLOAD_BYTES } from './config';
import type { MessageKeys, PostedMessage } from './message-keys';
import { type DiscordPayload, LIMITS, renderReply } from './render-reply';

export interface DeliverOptions {
  /** The message whose button or menu was used: replaced when no message is remembered under the reply's key. */
  pressed?: { channelId: string; id: string };
}

export const sendOptions = (payload: DiscordPayload) => ({
  ...(payload.content ? { content: payload.content } : {}),
  embeds: payload.embeds,
  components: payload.components,
  files: payload.files,
});

/**
 * Discord's nonce for a reply that must be posted once (at most 25 characters): with
 * `enforceNonce`, Discord answers a repeat within a few minutes with the message it already made.
 */
export const onceOptions = (reply: Reply) =>
  reply.onceKey
    ? {
        nonce: createHash('sha256').update(reply.onceKey).digest('base64url').slice(0, 25),
        enforceNonce: true,
      }
    : {};

/** An edit replaces everything: text, embeds, controls and attachments. */
export const editOptions = (payload: DiscordPayload) => ({
  content: payload.content,
  embeds: payload.embeds,
  components: payload.components,
  attachments: [],
  files: payload.files,
});

/** Files one reply may attach: the rest of Discord's 10 leave room for tables.txt and reply.txt. */
export const FILES_PER_REPLY = LIMITS.files - 2;

const isUnknownMessage = (e: unknown) =>
  e instanceof DiscordAPIError && (e.code === RESTJSONErrorCodes.UnknownMessage || e.status === 404);

/**
 * Posts replies in a conversation's channel or thread, honouring `key` (remember the message) and
 * `replaceKey` (edit the remembered message instead of posting). Used for notices and questionnaire steps.
 */
export class ChannelPoster {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly client: Client,
    readonly keys: MessageKeys,
    private readonly log: (message: string) => void = () => {},
    private readonly capabilities: PlatformCapabilities = { maxUploadBytes: DISCORD_DEFAULT_UPLOAD_BYTES },
    /** Paces edits: at most one per conversation per interval, the latest edit of a message wins. */
    readonly pacer: EditPacer = new EditPacer(chatEditIntervalMs()),
  ) {}

  /**
   * The reply as Discord can take it: its files checked (present, within the upload limit, at most
   * FILES_PER_REPLY) and each one left out named in its text. discord.js reads an attached file
   * whole before sending it (it cannot stream one), so the limit also bounds the memory a post takes.
   */
  async prepare(asked: Reply): Promise<Reply> {
    if (!asked.files?.length) return asked;
    const kept = asked.files.slice(0, FILES_PER_REPLY);
    const { reply, refused } = await withSendableFiles(
      { ...asked, files: kept },
      this.capabilities,
      'Discord',
    );
    const reason = `Discord takes at most ${LIMITS.files} attachments in one message`;
    const over = asked.files.slice(FILES_PER_REPLY).map((file) => ({ file, reason }));
    for (const r of [...refused, ...over])
      this.log(`discord: ${r.file.filename} (${r.file.path}) not attached: ${r.reason}`);
    if (!over.length) return reply;
    return { ...reply, text: [reply.text, ...over.map(refusalLine)].join('\n\n') };
  }

  /**
   * Posts in order; deliveries to one conversation never interleave. A lone edit (`replaceKey`)
   * waits for the conversation's edit turn, and is skipped when a newer edit of the same message
   * came meanwhile. discord.js paces the requests themselves by Discord's rate-limit headers.
   */
  deliver(
    conversation: ConversationRef,
    replies: readonly Reply[],
    options: DeliverOptions = {},
  ): Promise<void> {
    const key = conversationKey(conversation);
    const [only] = replies;
    const ticket =
      replies.length === 1 && only?.replaceKey && !only.ephemeral
        ? this.pacer.ticket(key, only.replaceKey)
        : undefined;
    return this.lock.run(key, async () => {
      if (ticket && !(await this.pacer.turn(ticket))) return;
      for (const reply of replies) await this.deliverOne(conversation, reply, options);
    });
  }

  private async sendable(channelId: string) {
    const channel =
      this.client.channels.cache.get(channelId) ?? (await this.client.channels.fetch(channelId));
    if (!channel?.isSendable()) throw new Error(`channel ${channelId} does not take messages`);
    return channel;
  }

  /** Edits a posted message; false when it no longer exists. */
  private async edit(
    target: PostedMessage,
    payload: Parameters<typeof editOptions>[0] | { components: [] },
  ): Promise<boolean> {
    try {
      const channel = await this.sendable(target.channelId);
      await channel.messages.edit(target.messageId, 'content' in payload ? editOptions(payload) : payload);
      return true;
    } catch (e) {
      if (isUnknownMessage(e)) return false;
      throw e;
    }
  }

  async deliverOne(conversation: ConversationRef, reply: Reply, options: DeliverOptions = {}): Promise<void> {
    const key = conversationKey(conversation);
    const payload = renderReply(await this.prepare(reply));
    const live = payload.components.length > 0;
    if (reply.replaceKey) {
      const pressed = options.pressed && {
        channelId: options.pressed.channelId,
        messageId: options.pressed.id,
        live: true,
      };
      const target = (await this.keys.get(key, reply.replaceKey)) ?? pressed;
      if (target && (await this.edit(target, payload))) {
        await this.keys.set(key, reply.key ?? reply.replaceKey, { ...target, live });
        return;
      }
    }
    const channelId = conversation.thread ?? conversation.channel;
    const message: Message = await (await this.sendable(channelId)).send({
      ...sendOptions(payload),
      ...onceOptions(reply),
    });
    if (!reply.key) return;
    const previous = await this.keys.get(key, reply.key);
    await this.keys.set(key, reply.key, { channelId, messageId: message.id, live });
    if (previous?.live && previous.messageId !== message.id) {
      // Only the newest message under a key keeps working controls.
      await this.edit(previous, { components: [] }).catch((e: Error) =>
        this.log(`could not retire old controls: ${e.message}`),
      );
    }
  }
}
