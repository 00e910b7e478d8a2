import { type MessageComponentInteraction, MessageFlags } from 'discord.js';
import { decodeCustomId } from './component-ids';
import type { DiscordContext } from './context';
import { channelFacts, conversationFor, memberAccess, userFor } from './identity';
import { answerComponent } from './interaction-replies';
import { FAILURE_TEXT } from './slash-handler';

/**
 * A button or select menu on a Faceoff message: acknowledged at once (deferUpdate), then handed to the
 * engine as a choice; an answered question replaces the message whose buttons were pressed.
 */
export async function handleComponent(
  interaction: MessageComponentInteraction,
  ctx: DiscordContext,
): Promise<void> {
  const decoded = decodeCustomId(interaction.customId);
  if (!decoded) return;
  await ctx.acknowledgements.track(interaction.deferUpdate());
  await ctx.acknowledgements.sent();
  try {
    const value = interaction.isStringSelectMenu() ? (interaction.values[0] ?? '') : decoded.value;
    const conversation = conversationFor(
      channelFacts(interaction.channel, interaction.channelId, interaction.guildId),
    );
    const access = memberAccess(interaction.guildId, interaction.member, interaction.memberPermissions);
    const displayName =
      interaction.member && 'displayName' in interaction.member ? interaction.member.displayName : undefined;
    const replies = await ctx.engine.handle({
      kind: 'choice',
      actionId: decoded.actionId,
      value,
      messageRef: interaction.message.id,
      conversation,
      user: userFor(interaction.user, displayName, access),
      deliveryId: `discord:interaction:${interaction.id}`,
    });
    await answerComponent(interaction, conversation, replies, ctx.poster);
  } catch (e) {
    ctx.log(`discord: a button or menu failed: ${(e as Error).stack ?? e}`);
    await interaction.followUp({ content: FAILURE_TEXT, flags: MessageFlags.Ephemeral }).catch(() => {});
  }
}
