import type { AutocompleteInteraction } from 'discord.js';
import { teamKey } from '../../src/chat/conversation';
import { COMMAND_CATALOG } from '../../src/commands/catalog';
import type { AutocompleteSource } from '../../src/commands/command-entry';
import { BUILTIN_MODELS, type ComparisonRequest, TINY_FAMILY } from '../../src/comparison/request';
import type { DiscordContext } from './context';
import { channelFacts, conversationFor } from './identity';
import { truncate } from './markdown';

export interface Choice {
  name: string;
  value: string;
}

const MAX_CHOICES = 25;

/** The candidates that contain what was typed, those starting with it first; at most 25, names and values cut to 100. */
export function matchChoices(candidates: readonly Choice[], typed: string): Choice[] {
  const needle = typed.trim().toLowerCase();
  const starts = (c: Choice) =>
    c.value.toLowerCase().startsWith(needle) || c.name.toLowerCase().startsWith(needle);
  const contains = (c: Choice) =>
    c.value.toLowerCase().includes(needle) || c.name.toLowerCase().includes(needle);
  const seen = new Set<string>();
  return [...candidates.filter(starts), ...candidates.filter((c) => !starts(c) && contains(c))]
    .filter((c) => c.value.length <= 100 && !seen.has(c.value) && seen.add(c.value))
    .slice(0, MAX_CHOICES)
    .map((c) => ({ name: truncate(c.name, 100), value: c.value }));
}

const modelOf = (request: unknown) => (request as Partial<ComparisonRequest> | null)?.model;

async function candidates(
  source: AutocompleteSource | undefined,
  team: string,
  ctx: DiscordContext,
): Promise<Choice[]> {
  switch (source) {
    case 'model': {
      const recent = await ctx.repositories.jobs.listRecent(team, 50);
      const models = recent
        .map((j) => modelOf(j.request))
        .filter((m): m is string => !!m && !BUILTIN_MODELS.includes(m));
      return [
        ...BUILTIN_MODELS.map((m) => ({ name: `${m} (built in)`, value: m })),
        { name: `${TINY_FAMILY.join(',')} (scaling study, built in)`, value: TINY_FAMILY.join(',') },
        ...[...new Set(models)].map((m) => ({ name: `${m} (used recently)`, value: m })),
      ];
    }
    case 'dataset':
      return (await ctx.repositories.datasets.list(team)).map((d) => ({
        name: `${d.id}: ${d.name}, ${d.lineCount} lines`,
        value: d.id,
      }));
    case 'job':
      return (await ctx.repositories.jobs.listRecent(team, MAX_CHOICES)).map((j) => ({
        name: `${j.id}: ${j.state}, ${modelOf(j.request) ?? '?'}`,
        value: j.id,
      }));
    default:
      return [];
  }
}

/** The suggestion source the catalog gives the focused option of a subcommand. */
export function sourceOf(subcommand: string | null, option: string): AutocompleteSource | undefined {
  return COMMAND_CATALOG.find((e) => e.name === subcommand)?.options.find((o) => o.name === option)
    ?.autocomplete;
}

/** Suggestions for model (tiny and models this server used), dataset (this server's) and job ids. */
export async function handleAutocomplete(
  interaction: AutocompleteInteraction,
  ctx: DiscordContext,
): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const team = teamKey(
    conversationFor(channelFacts(interaction.channel, interaction.channelId ?? '', interaction.guildId)),
  );
  try {
    await interaction.respond(
      matchChoices(
        await candidates(sourceOf(interaction.options.getSubcommand(false), focused.name), team, ctx),
        String(focused.value ?? ''),
      ),
    );
  } catch (e) {
    ctx.log(`discord: autocomplete for ${focused.name} failed: ${(e as Error).message}`);
    if (!interaction.responded) await interaction.respond([]).catch(() => {});
  }
}
