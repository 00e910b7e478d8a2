import {
  type ChatInputCommandInteraction,
  MessageFlags,
  ThreadAutoArchiveDuration,
  type ThreadChannel,
} from 'discord.js';
import type { ConversationRef } from '../../src/chat/conversation';
import { errorReply } from '../../src/chat/replies';
import { commandText } from './command-text';
import type { DiscordContext } from './context';
import { channelFacts, conversationFor, memberAccess, userFor } from './identity';
import { answerCommand, answerFailure, type DeferredResponse } from './interaction-replies';
import { truncate } from './markdown';

export const FAILURE_TEXT =
  'Something went wrong on our side while handling that; nothing more was done. Try again in a moment.';

/** `/faceoff decide` in a server channel: the deferred response announces the thread the questions go to. */
async function openDecisionThread(
  interaction: ChatInputCommandInteraction,
  user: { id: string; name?: string },
  ctx: DiscordContext,
): Promise<ThreadChannel | undefined> {
  const starter = await interaction.editReply({
    content: `**Faceoff decision** for <@${user.id}>: the questions follow in the thread.`,
  });
  try {
    const thread = await starter.startThread({
      name: truncate(`Faceoff decision: ${user.name ?? user.id}`, 100),
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
    });
    await thread.members
      .add(user.id)
      .catch((e: Error) => ctx.log(`discord: could not add ${user.id} to the thread: ${e.message}`));
    return thread;
  } catch (e) {
    ctx.log(`discord: no thread for the questionnaire, asking in the channel: ${(e as Error).message}`);
    return undefined;
  }
}

/** The command text of an interaction's subcommand and options. */
function textOf(interaction: ChatInputCommandInteraction): ReturnType<typeof commandText> {
  const subcommand = interaction.options.getSubcommand(false) ?? 'help';
  const options = (interaction.options.data[0]?.options ?? []).map((o) => ({
    name: o.name,
    value: o.value,
  }));
  return commandText(subcommand, options);
}

/**
 * Defers at once (Discord allows 3 seconds), then runs the subcommand through the engine and answers
 * once the interactions arriving with it have been deferred too (InFlight). A command whose answer
 * is known to be private (help, refused arguments) is deferred privately and answered in that
 * response, instead of a public deferral deleted for a private follow-up.
 */
export async function handleSlashCommand(
  interaction: ChatInputCommandInteraction,
  ctx: DiscordContext,
): Promise<void> {
  ctx.inFlight.arrived();
  let text: ReturnType<typeof commandText> | undefined;
  try {
    text = textOf(interaction);
  } catch {
    // Read again (and reported) below, once the interaction is acknowledged.
  }
  const ephemeral = text !== undefined && (!text.ok || ctx.engine.router.answersPrivately(text.value));
  await ctx.acknowledgements.track(
    interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
    'slash_command',
  );
  await ctx.acknowledgements.sent();
  const response: DeferredResponse = { used: false, ephemeral };
  await ctx.inFlight.track(
    () => answerSlashCommand(interaction, ctx, response, text),
    (e) => ctx.log(`discord: /faceoff failed: ${(e as Error).stack ?? e}`),
  );
}

/** Runs a deferred slash command through the engine and answers it (privately, if it fails). */
async function answerSlashCommand(
  interaction: ChatInputCommandInteraction,
  ctx: DiscordContext,
  response: DeferredResponse,
  read: ReturnType<typeof commandText> | undefined,
): Promise<void> {
  let conversation: ConversationRef = conversationFor(
    channelFacts(interaction.channel, interaction.channelId, interaction.guildId),
  );
  try {
    const subcommand = interaction.options.getSubcommand(false) ?? 'help';
    const text = read ?? textOf(interaction);
    const access = memberAccess(interaction.guildId, interaction.member, interaction.memberPermissions);
    const displayName =
      interaction.member && 'displayName' in interaction.member ? interaction.member.displayName : undefined;
    const user = userFor(interaction.user, displayName, access);
    if (!text.ok)
      return await answerCommand(interaction, conversation, [errorReply(text.error)], ctx.poster, response);
    if (subcommand === 'decide' && interaction.guildId && !conversation.thread && !response.ephemeral) {
      const thread = await openDecisionThread(interaction, user, ctx);
      response.used = true;
      if (thread) conversation = { ...conversation, thread: thread.id };
    }
    const replies = await ctx.engine.handle({
      kind: 'command',
      text: text.value,
      conversation,
      user,
      deliveryId: `discord:interaction:${interaction.id}`,
    });
    await answerCommand(interaction, conversation, replies, ctx.poster, response);
  } catch (e) {
    ctx.log(`discord: /faceoff failed: ${(e as Error).stack ?? e}`);
    await answerFailure(interaction, response, FAILURE_TEXT).catch(() => {});
  }
}
