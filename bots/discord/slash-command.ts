import {
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import { COST_COMMAND, TASKS_COMMAND } from '../../src/commands/builtin';
import { JOB_COMMANDS } from '../../src/commands/registry';
import { METHODS } from '../../src/comparison/request';
import { COST_INPUT_SPECS, COST_PRESETS } from '../../src/cost/inputs';
import { TASK_IDS, TASK_PROFILES } from '../../src/tasks/profiles';

export const COMMAND_NAME = 'faceoff';

/** Method sets offered as choices; the router accepts any comma-separated list of METHODS. */
export const METHOD_CHOICES = [
  'lora,full',
  'lora',
  'full',
  'qlora',
  'lora,qlora',
  'lora,full,qlora',
] as const;

const describe = (summary: string) => {
  const text = summary.charAt(0).toUpperCase() + summary.slice(1);
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
};

const jobOption = (s: SlashCommandSubcommandBuilder, required: boolean) =>
  s.addStringOption((o) =>
    o
      .setName('job')
      .setDescription('Job id (e.g. from /faceoff jobs)')
      .setRequired(required)
      .setAutocomplete(true),
  );

const compare = (s: SlashCommandSubcommandBuilder) =>
  s
    .addStringOption((o) =>
      o
        .setName('model')
        .setDescription('tiny, a Hugging Face id (org/name) or a local path')
        .setRequired(true)
        .setAutocomplete(true),
    )
    .addStringOption((o) =>
      o
        .setName('task')
        .setDescription('A built-in task suite, or all of them')
        .addChoices(...TASK_IDS.map((id) => ({ name: TASK_PROFILES[id].label, value: id })), {
          name: 'All five suites',
          value: 'all',
        }),
    )
    .addStringOption((o) =>
      o
        .setName('dataset')
        .setDescription('A dataset registered in this server (attach a .jsonl file in a thread)')
        .setAutocomplete(true),
    )
    .addStringOption((o) =>
      o
        .setName('methods')
        .setDescription(`Methods to compare (default lora,full; known: ${METHODS.join(', ')})`)
        .addChoices(...METHOD_CHOICES.map((m) => ({ name: m, value: m }))),
    )
    .addIntegerOption((o) =>
      o.setName('seeds').setDescription('Seeds per method (1 to 5, default 1)').setMinValue(1).setMaxValue(5),
    )
    .addIntegerOption((o) =>
      o
        .setName('max_steps')
        .setDescription('Training steps per run (default 120 on tiny, 1000 otherwise)')
        .setMinValue(1)
        .setMaxValue(100_000),
    )
    .addBooleanOption((o) =>
      o.setName('lr_sweep').setDescription('Tune the learning rate per method (default on)'),
    )
    .addIntegerOption((o) =>
      o.setName('gpus').setDescription('GPUs per run (0 = CPU)').setMinValue(0).setMaxValue(64),
    )
    .addIntegerOption((o) =>
      o
        .setName('batch_size')
        .setDescription('Batch size (default: the trainer setting)')
        .setMinValue(1)
        .setMaxValue(4096),
    );

const cost = (s: SlashCommandSubcommandBuilder) => {
  s.addStringOption((o) =>
    o
      .setName('preset')
      .setDescription('Starting figures (default article)')
      .addChoices(...Object.keys(COST_PRESETS).map((p) => ({ name: p, value: p }))),
  );
  for (const spec of COST_INPUT_SPECS) {
    const description = describe(`${spec.label} (${spec.unit})`);
    if ('integer' in spec && spec.integer)
      s.addIntegerOption((o) =>
        o.setName(spec.key).setDescription(description).setMinValue(spec.min).setMaxValue(spec.max),
      );
    else
      s.addNumberOption((o) =>
        o.setName(spec.key).setDescription(description).setMinValue(spec.min).setMaxValue(spec.max),
      );
  }
  return s;
};

const OPTIONS: Record<string, (s: SlashCommandSubcommandBuilder) => SlashCommandSubcommandBuilder> = {
  compare,
  cost,
  status: (s) => jobOption(s, true),
  cancel: (s) => jobOption(s, true),
  retry: (s) => jobOption(s, true),
  results: (s) => jobOption(s, false),
};

const SUBCOMMANDS: { name: string; summary: string }[] = [
  { name: 'help', summary: 'what Faceoff does and its commands' },
  {
    name: 'decide',
    summary: 'a short questionnaire, asked in a thread, that ends in a recommendation, scores, cost and plan',
  },
  COST_COMMAND,
  TASKS_COMMAND,
  ...JOB_COMMANDS,
];

/** `/faceoff` with one subcommand per router command and typed options mirroring their arguments. */
export function faceoffCommand(): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const builder = new SlashCommandBuilder()
    .setName(COMMAND_NAME)
    .setDescription('LoRA or full fine-tuning, for your task: decide, estimate cost, measure')
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);
  for (const { name, summary } of SUBCOMMANDS) {
    builder.addSubcommand((s) => {
      const described = s.setName(name).setDescription(describe(summary));
      return OPTIONS[name]?.(described) ?? described;
    });
  }
  return builder.toJSON();
}
