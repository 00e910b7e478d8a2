/**
 * `/faceoff` as Discord registers it: one subcommand per catalog entry, each catalog option as a
 * typed option (strings with choices or autocomplete, integers and numbers with their bounds,
 * booleans). Nothing here names a particular command.
 */
import {
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import { COMMAND_CATALOG } from '../../src/commands/catalog';
import type { CommandEntry, OptionSpec } from '../../src/commands/command-entry';

export const COMMAND_NAME = 'faceoff';

/** Discord allows 25 choices per option. */
const MAX_CHOICES = 25;

const describe = (summary: string) => {
  const text = summary.charAt(0).toUpperCase() + summary.slice(1);
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
};

/** Every non-empty combination of a list option's choices, in catalog order, default first. */
export function listChoices(option: OptionSpec): string[] {
  const values = (option.choices ?? []).map((c) => c.value);
  const combos: string[] = [];
  for (let mask = 1; mask < 1 << values.length; mask++)
    combos.push(values.filter((_, i) => mask & (1 << i)).join(','));
  const first = option.defaultValue ? [option.defaultValue] : [];
  return [...first, ...combos.filter((c) => c !== option.defaultValue)].slice(0, MAX_CHOICES);
}

function addOption(s: SlashCommandSubcommandBuilder, option: OptionSpec, required: boolean): void {
  const base = <
    T extends { setName(n: string): T; setDescription(d: string): T; setRequired(r: boolean): T },
  >(
    o: T,
  ) => o.setName(option.name).setDescription(describe(option.description)).setRequired(required);
  switch (option.type) {
    case 'integer':
      s.addIntegerOption((o) => {
        base(o);
        if (option.min !== undefined) o.setMinValue(option.min);
        if (option.max !== undefined) o.setMaxValue(option.max);
        return o;
      });
      return;
    case 'number':
      s.addNumberOption((o) => {
        base(o);
        if (option.min !== undefined) o.setMinValue(option.min);
        if (option.max !== undefined) o.setMaxValue(option.max);
        return o;
      });
      return;
    case 'boolean':
      s.addBooleanOption((o) => base(o));
      return;
    case 'list':
      s.addStringOption((o) =>
        base(o).addChoices(...listChoices(option).map((c) => ({ name: c, value: c }))),
      );
      return;
    case 'string':
      s.addStringOption((o) => {
        base(o);
        if (option.autocomplete) o.setAutocomplete(true);
        else if (option.choices)
          o.addChoices(
            ...option.choices.slice(0, MAX_CHOICES).map((c) => ({ name: describe(c.label), value: c.value })),
          );
        return o;
      });
  }
}

function subcommand(s: SlashCommandSubcommandBuilder, entry: CommandEntry): SlashCommandSubcommandBuilder {
  s.setName(entry.name).setDescription(describe(entry.summary));
  // An option another one can stand in for (compare's task, or a dataset) is not required here.
  const required = (o: OptionSpec) => Boolean(o.required) && !entry.options.some((x) => x.sendsAs === o.name);
  // Discord lists required options first.
  const ordered = [...entry.options.filter(required), ...entry.options.filter((o) => !required(o))];
  for (const option of ordered) addOption(s, option, required(option));
  return s;
}

/** `/faceoff` with one subcommand per catalog command and typed options mirroring their arguments. */
export function faceoffCommand(
  catalog: readonly CommandEntry[] = COMMAND_CATALOG,
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const builder = new SlashCommandBuilder()
    .setName(COMMAND_NAME)
    .setDescription('LoRA or full fine-tuning, for your task: decide, estimate cost, measure')
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);
  for (const entry of catalog) builder.addSubcommand((s) => subcommand(s, entry));
  return builder.toJSON();
}
