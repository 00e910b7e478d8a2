/**
 * Carries neutral replies into Slack, in order: ephemeral ones to the user, `replaceKey` ones as
 * edits (chat.update) of the message remembered under that key, the rest as new messages in the
 * conversation's thread; images, oversized tables and the reply's files follow as files in the same
 * thread (files streamed from disk; one that is missing or over Slack's limit is named in the reply
 * instead). A reply too long for one Slack message continues in further messages in the thread (see
 * renderMessages).
 */
import type { RespondFn, webApi } from '@slack/bolt';
import { type ConversationRef, conversationKey } from '../../../src/chat/conversation';
import { refusalLine, withSendableFiles } from '../../../src/chat/file-attachments';
import type { Reply } from '../../../src/chat/replies';
import { KeyedLock } from '../../../src/conversation/keyed-lock';
import { chatEditIntervalMs, EditPacer } from '../../edit-pacer';
import { renderMessages, type SlackMessage } from '../render/blocks';
import type { PostedMessage, PostedMessages } from './posted-messages';
import { filesOf, SLACK_CAPABILITIES, uploadFiles, uploadLocalFiles } from './uploads';

export interface DeliveryTarget {
  client: webApi.WebClient;
  conversation: ConversationRef;
  /** Who triggered the replies: ephemeral ones are shown to them only. */
  userId?: string;
  /** The response_url of a slash command or action: used where the bot cannot post (not in the channel). */
  respond?: RespondFn;
  /** The message whose button was pressed: what a `replaceKey` names when no message is remembered under the key. */
  pressedMessageTs?: string;
}

/** The Slack error code of a failed Web API call (`not_in_channel`, `message_not_found`, ...). */
export function slackErrorCode(e: unknown): string | undefined {
  return (e as { data?: { error?: string } }).data?.error;
}

const NOT_POSTABLE = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

/** A message only one user sees cannot carry files in Slack: each is named instead. */
function withoutFiles(reply: Reply): Reply {
  if (!reply.files?.length) return reply;
  const { files, ...rest } = reply;
  const reason = 'Slack cannot attach files to a message only you can see';
  const lines = files.map((file) => refusalLine({ file, reason }));
  return { ...rest, text: [reply.text, ...lines].join('\n\n') };
}

export class SlackPoster {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly posted: PostedMessages,
    private readonly log: (message: string) => void,
    /** Paces edits: at most one per conversation per interval, the latest edit of a message wins. */
    readonly pacer: EditPacer = new EditPacer(chatEditIntervalMs()),
  ) {}

  /**
   * Posts in order; deliveries to one conversation (replies and job notices) never interleave. A
   * lone edit (`replaceKey`) waits for the conversation's edit turn, and is skipped when a newer
   * edit of the same message came meanwhile.
   */
  deliver(target: DeliveryTarget, replies: Reply[]): Promise<void> {
    const conversation = conversationKey(target.conversation);
    const [only] = replies;
    const ticket =
      replies.length === 1 && only?.replaceKey && !only.ephemeral
        ? this.pacer.ticket(conversation, only.replaceKey)
        : undefined;
    return this.lock.run(conversation, async () => {
      if (ticket && !(await this.pacer.turn(ticket))) return;
      for (const reply of replies) await this.deliverOne(target, reply);
    });
  }

  private async deliverOne(target: DeliveryTarget, asked: Reply): Promise<void> {
    if (asked.ephemeral && target.userId) {
      await this.postEphemeral(target, target.userId, withoutFiles(asked));
      return;
    }
    const { reply, refused } = await withSendableFiles(asked, SLACK_CAPABILITIES, 'Slack');
    for (const r of refused) this.log(`slack: ${r.file.filename} (${r.file.path}) not attached: ${r.reason}`);
    const key = conversationKey(target.conversation);
    if (reply.replaceKey) {
      const known = await this.posted.get(key, reply.replaceKey);
      const old =
        known ??
        (target.pressedMessageTs
          ? { channel: target.conversation.channel, ts: target.pressedMessageTs }
          : undefined);
      if (old && (await this.update(target.client, old.channel, old.ts, reply, target.conversation.thread))) {
        await this.posted.remember(key, reply.key ?? reply.replaceKey, {
          channel: old.channel,
          ts: old.ts,
          reply,
        });
        await this.upload(target, old.channel, target.conversation.thread ?? old.ts, reply);
        return;
      }
    }
    if (reply.key) {
      const previous = await this.posted.get(key, reply.key);
      if (previous?.live) await this.retire(target.client, previous);
    }
    const ts = await this.post(target, reply);
    if (ts && (reply.key ?? reply.replaceKey)) {
      await this.posted.remember(key, reply.key ?? (reply.replaceKey as string), {
        channel: target.conversation.channel,
        ts,
        reply,
      });
    }
    await this.upload(target, target.conversation.channel, target.conversation.thread ?? ts, reply);
  }

  /** A new message in the conversation; answered by the response_url where the bot may not post. */
  private async post(target: DeliveryTarget, reply: Reply): Promise<string | undefined> {
    const { channel, thread } = target.conversation;
    const [message, ...more] = renderMessages(reply) as [SlackMessage, ...SlackMessage[]];
    let ts: string | undefined;
    try {
      ts = await this.postMessage(target.client, channel, thread, message);
    } catch (e) {
      if (!target.respond || !NOT_POSTABLE.has(slackErrorCode(e) ?? '')) throw e;
      for (const m of [message, ...more]) await target.respond({ response_type: 'in_channel', ...m });
      return undefined;
    }
    await this.continueIn(target.client, channel, thread ?? ts, more);
    return ts;
  }

  private async postMessage(
    client: webApi.WebClient,
    channel: string,
    thread: string | undefined,
    message: SlackMessage,
  ): Promise<string | undefined> {
    const result = await client.chat.postMessage({
      channel,
      ...(thread ? { thread_ts: thread } : {}),
      ...message,
      unfurl_links: false,
      unfurl_media: false,
    });
    return result.ts;
  }

  /** The rest of a reply too long for one message, in order, in the thread. */
  private async continueIn(
    client: webApi.WebClient,
    channel: string,
    thread: string | undefined,
    more: SlackMessage[],
  ): Promise<void> {
    for (const message of more) await this.postMessage(client, channel, thread, message);
  }

  private async postEphemeral(target: DeliveryTarget, user: string, reply: Reply): Promise<void> {
    for (const message of renderMessages(reply)) await this.postEphemeralMessage(target, user, message);
  }

  private async postEphemeralMessage(target: DeliveryTarget, user: string, message: SlackMessage) {
    const { channel, thread } = target.conversation;
    if (!thread && target.respond) {
      await target.respond({ response_type: 'ephemeral', replace_original: false, ...message });
      return;
    }
    try {
      await target.client.chat.postEphemeral({
        channel,
        user,
        ...(thread ? { thread_ts: thread } : {}),
        ...message,
      });
    } catch (e) {
      if (!target.respond) throw e;
      await target.respond({ response_type: 'ephemeral', replace_original: false, ...message });
    }
  }

  /**
   * Edits the message in place (its continuation, if any, follows in the thread). False when the
   * message is gone (deleted, too old to edit): the caller posts a new one.
   */
  private async update(
    client: webApi.WebClient,
    channel: string,
    ts: string,
    reply: Reply,
    thread: string | undefined,
  ): Promise<boolean> {
    const [message, ...more] = renderMessages(reply) as [SlackMessage, ...SlackMessage[]];
    try {
      await client.chat.update({ channel, ts, ...message });
    } catch (e) {
      const code = slackErrorCode(e);
      if (code === 'message_not_found' || code === 'cant_update_message' || code === 'edit_window_closed')
        return false;
      throw e;
    }
    await this.continueIn(client, channel, thread ?? ts, more);
    return true;
  }

  /** Takes the buttons off a message a newer one replaces (a question asked again after back or restart). */
  private async retire(client: webApi.WebClient, message: PostedMessage): Promise<void> {
    if (!message.retired) return;
    try {
      await client.chat.update({ channel: message.channel, ts: message.ts, ...message.retired });
    } catch (e) {
      this.log(
        `slack: could not take the buttons off an older message: ${slackErrorCode(e) ?? (e as Error).message}`,
      );
    }
  }

  private async upload(
    target: DeliveryTarget,
    channel: string,
    threadTs: string | undefined,
    reply: Reply,
  ): Promise<void> {
    const files = filesOf(reply);
    if (files.length) await uploadFiles(target.client, channel, threadTs, files);
    if (reply.files?.length) await uploadLocalFiles(target.client, channel, threadTs, reply.files);
  }
}
