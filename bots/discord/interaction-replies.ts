import { type ChatInputCommandInteraction, type MessageComponentInteraction, MessageFlags } from 'discord.js';
import type { ConversationRef } from '../../src/chat/conversation';
import type { Reply } from '../../src/chat/replies';
import { type ChannelPoster, type DeliverOptions, editOptions, sendOptions } from './channel-poster';
import { renderReply } from './render-reply';

/**
 * Answers a deferred slash command: the first reply fills the deferred response, later ones follow up.
 * Ephemeral replies go only to the user (a public deferral is deleted and replaced by an ephemeral
 * follow-up). Keyed replies are posted in the channel so they can be edited after the token expires.
 */
export async function answerCommand(
  interaction: ChatInputCommandInteraction,
  conversation: ConversationRef,
  replies: readonly Reply[],
  poster: ChannelPoster,
  response: DeferredResponse = { used: false },
): Promise<void> {
  for (const reply of replies) {
    if ((reply.key || reply.replaceKey) && !reply.ephemeral) {
      await poster.deliverOne(conversation, reply);
      continue;
    }
    const payload = renderReply(await poster.prepare(reply));
    // The deferred response is filled when it is as private as the reply; otherwise it is
    // removed and the reply follows up with its own visibility.
    if (!response.used && Boolean(reply.ephemeral) === Boolean(response.ephemeral))
      await interaction.editReply(editOptions(payload));
    else {
      if (!response.used) await interaction.deleteReply();
      await interaction.followUp({
        ...sendOptions(payload),
        ...(reply.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
      });
    }
    response.used = true;
  }
  if (!response.used) {
    await interaction.deleteReply();
    response.used = true;
  }
}

/** Whether the deferred response was filled (or deleted) already, and whether it was deferred privately. */
export interface DeferredResponse {
  used: boolean;
  ephemeral?: boolean;
}

/** Tells the user, privately, that handling failed; the unfilled deferred response is removed first. */
export async function answerFailure(
  interaction: ChatInputCommandInteraction,
  response: DeferredResponse,
  text: string,
): Promise<void> {
  if (!response.used) await interaction.deleteReply().catch(() => {});
  response.used = true;
  await interaction.followUp({ content: text, flags: MessageFlags.Ephemeral });
}

/** Answers a deferred button or menu: ephemeral replies to the user, the rest in the conversation. */
export async function answerComponent(
  interaction: MessageComponentInteraction,
  conversation: ConversationRef,
  replies: readonly Reply[],
  poster: ChannelPoster,
): Promise<void> {
  const options: DeliverOptions = {
    pressed: { channelId: interaction.message.channelId, id: interaction.message.id },
  };
  for (const reply of replies) {
    if (reply.ephemeral)
      await interaction.followUp({
        ...sendOptions(renderReply(await poster.prepare(reply))),
        flags: MessageFlags.Ephemeral,
      });
    else await poster.deliverOne(conversation, reply, options);
  }
}
