/**
 * Every `/faceoff` subcommand, as data: a new command or option is one entry here plus its handler.
 * Compare's bounds live here and nowhere else; the request parser, Discord's typed options and
 * Slack's form read them.
 */
import { COMBINATIONS, DEFAULT_COMBINATIONS } from '../comparison/combinations';
import { LORA_TARGETS, MAX_RANK } from '../comparison/lora-options';
import { COST_INPUT_SPECS, COST_PRESETS } from '../cost/inputs';
import { METHODS, methodSpec } from '../tasks/methods';
import { TASK_IDS, taskProfile } from '../tasks/profiles';
import type { CommandEntry, OptionSpec } from './command-entry';

const jobId = (required: boolean): OptionSpec => ({
  name: 'job',
  description: 'Job id (e.g. from /faceoff jobs)',
  type: 'string',
  positional: true,
  required,
  placeholder: 'job id',
  autocomplete: 'job',
});

/** compare's options; `plan` and other studies take the same ones. */
export const COMPARE_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'task',
    description: 'A task suite, all of them, a dataset id (ds-...), or several, comma-separated',
    type: 'string',
    required: true,
    placeholder: '<task|all|dataset id>',
    choices: [
      ...TASK_IDS.map((id) => ({ value: id, label: taskProfile(id).label })),
      { value: 'all', label: `All ${TASK_IDS.length} suites` },
    ],
    openChoices: true,
    inForm: true,
  },
  {
    name: 'dataset',
    description: 'A dataset registered here (share a .jsonl file in a thread)',
    type: 'string',
    autocomplete: 'dataset',
    sendsAs: 'task',
  },
  {
    name: 'model',
    description:
      'tiny, tiny-s, tiny-l, smollm2-135m, org/name or a directory; several (a,b,c) for a scaling study',
    type: 'string',
    required: true,
    placeholder: '<name or path>',
    autocomplete: 'model',
    defaultValue: 'tiny',
    inForm: true,
  },
  {
    name: 'methods',
    description: `Methods to compare (default lora,full; known: ${METHODS.join(', ')})`,
    type: 'list',
    choices: METHODS.map((m) => ({ value: m, label: methodSpec(m).label })),
    defaultValue: 'lora,full',
    inForm: true,
  },
  {
    name: 'seeds',
    description: 'Seeds per method, paired across methods (default 3; the sweep runs on the first)',
    type: 'integer',
    min: 1,
    max: 5,
    defaultValue: '3',
    inForm: true,
  },
  {
    name: 'max_steps',
    description: 'Training steps per run (default 120 on tiny, 12 on smollm2-135m, 1000 otherwise)',
    type: 'integer',
    min: 1,
    max: 100_000,
    placeholder: 'N',
    inForm: true,
  },
  {
    name: 'lr_sweep',
    description: 'Tune the learning rate per method on the validation split (default on)',
    type: 'boolean',
    defaultValue: 'on',
    inForm: true,
  },
  {
    name: 'rank',
    description: "LoRA rank for every LoRA run (default: the task preset's rank, on any model size)",
    type: 'integer',
    min: 1,
    max: MAX_RANK,
    placeholder: 'N',
    inForm: true,
  },
  {
    name: 'ranks',
    description: 'LoRA ranks to sweep, chosen on the validation split with the learning rate (e.g. 4,16,64)',
    type: 'string',
    placeholder: '4,16,64',
    inForm: true,
  },
  {
    name: 'alpha',
    description: "LoRA alpha (default: the preset's alpha/rank ratio times the rank)",
    type: 'number',
    min: 0.01,
    max: 100_000,
    placeholder: 'N',
  },
  {
    name: 'targets',
    description: 'Layers LoRA adapts: all linear layers (default), attention only, or MLP only',
    type: 'string',
    choices: LORA_TARGETS.map((t) => ({
      value: t,
      label: t === 'all' ? 'All linear layers' : t === 'attention' ? 'Attention only' : 'MLP only',
    })),
    defaultValue: 'all',
    inForm: true,
  },
  {
    name: 'rank_rule',
    description: 'preset: the task preset rank as written (default); scaled: shrink it with model width',
    type: 'string',
    choices: [
      { value: 'preset', label: 'Preset rank as written' },
      { value: 'scaled', label: 'Scaled by hidden size / 4096' },
    ],
    defaultValue: 'preset',
  },
  {
    name: 'gpus',
    description: 'GPUs per run (0 = CPU)',
    type: 'integer',
    min: 0,
    max: 64,
    defaultValue: '0',
  },
  {
    name: 'batch_size',
    description: 'Batch size (default: the trainer setting)',
    type: 'integer',
    min: 1,
    max: 4096,
    placeholder: 'N',
  },
  {
    name: 'lora_gpu_rate',
    description: "$ per device-hour to price LoRA runs (default: the cost model's assumed rate)",
    type: 'number',
    min: 0,
    max: 10_000,
    placeholder: '$/h',
  },
  {
    name: 'full_gpu_rate',
    description: '$ per device-hour to price full fine-tuning runs (default: the assumed rate)',
    type: 'number',
    min: 0,
    max: 10_000,
    placeholder: '$/h',
  },
];

const COST_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'preset',
    description: 'Starting figures (default article)',
    type: 'string',
    choices: Object.keys(COST_PRESETS).map((p) => ({ value: p, label: p })),
    defaultValue: 'article',
  },
  ...COST_INPUT_SPECS.map(
    (spec): OptionSpec => ({
      name: spec.key,
      description: `${spec.label} (${spec.unit})`,
      type: 'integer' in spec && spec.integer ? 'integer' : 'number',
      min: spec.min,
      max: spec.max,
    }),
  ),
];

export const COMMAND_CATALOG: readonly CommandEntry[] = [
  {
    name: 'help',
    summary: 'what Faceoff does and its commands, or one command with its options',
    options: [
      {
        name: 'command',
        description: 'A command to explain with its options (e.g. compare)',
        type: 'string',
        positional: true,
        placeholder: 'command',
      },
    ],
  },
  {
    name: 'decide',
    summary:
      'a short questionnaire that ends in a recommendation, weighted scores, a cost estimate and a plan',
    options: [
      {
        name: 'job',
        description:
          'A finished comparison whose measurements score the decision (default: the latest per task)',
        type: 'string',
        placeholder: '<job id>',
        autocomplete: 'job',
      },
      {
        name: 'about',
        description:
          'Your project in a sentence: budget, deadline, model, task, variants, how often you retrain',
        type: 'string',
        positional: true,
        placeholder: 'your project in a sentence',
      },
    ],
    opensThread: true,
    freeText: true,
    examples: [
      'decide',
      'decide we have about $5k and two weeks, a 7B model, a support bot, retrained monthly',
    ],
  },
  {
    name: 'cost',
    summary: 'training, deployment and first-year cost of LoRA vs full fine-tuning',
    options: COST_OPTIONS,
    usage: 'cost [preset=article] [key=value ...]',
    examples: ['cost', 'cost lora_gpu_hours=4 full_gpu_hours=40 months=6'],
  },
  { name: 'tasks', summary: `the ${TASK_IDS.length} task profiles with their LoRA presets`, options: [] },
  {
    name: 'compare',
    summary: 'run LoRA and full fine-tuning on the same data under identical controls',
    options: COMPARE_OPTIONS,
    startsGpuWork: true,
    opensThread: true,
    needsJobSystem: true,
    examples: [
      'compare task=customer_service model=tiny',
      'compare task=code_generation model=smollm2-135m seeds=2 ranks=4,16',
    ],
  },
  {
    name: 'plan',
    summary: 'the hybrid plan as a staged job: LoRA first, full fine-tuning only if LoRA misses your target',
    options: [
      // Compare's options less methods (LoRA, then full fine-tuning); the task typed, not picked,
      // to stay within Discord's size limit for one command.
      ...COMPARE_OPTIONS.filter((o) => o.name !== 'methods').map(({ choices, ...o }) =>
        o.name === 'seeds'
          ? { ...o, min: 2, description: 'Seeds per method (default 3; at least 2 for an interval)' }
          : o.name === 'task'
            ? { ...o, description: 'A task suite (/faceoff tasks lists them) or a dataset id (ds-...)' }
            : { ...o, ...(choices ? { choices } : {}) },
      ),
      {
        name: 'target',
        description: "The primary test metric's value you need, 0-1 (e.g. 0.8)",
        type: 'number',
        required: true,
        min: 0,
        max: 1,
        placeholder: '<0-1>',
        inForm: true,
      },
    ],
    startsGpuWork: true,
    opensThread: true,
    needsJobSystem: true,
    examples: ['plan task=customer_service model=tiny target=0.6'],
  },
  {
    name: 'combine',
    summary:
      'train one LoRA adapter per skill, combine them (PEFT) and measure against one multi-task full fine-tune',
    options: [
      {
        name: 'task',
        description: 'customer_service (its 3 skills) or 2-6 dataset ids, one skill each (ds-a,ds-b)',
        type: 'string',
        required: true,
        placeholder: '<customer_service|ds-a,ds-b>',
        inForm: true,
      },
      ...COMPARE_OPTIONS.filter((o) => ['model', 'seeds', 'max_steps', 'batch_size'].includes(o.name)).map(
        (o) =>
          o.name === 'seeds'
            ? { ...o, min: 2, description: 'Seeds per variant (default 3; at least 2 for an interval)' }
            : o,
      ),
      {
        name: 'combinations',
        description: `How to combine the adapters (default ${DEFAULT_COMBINATIONS.join(',')})`,
        type: 'list',
        choices: COMBINATIONS.map((c) => ({ value: c, label: c })),
        defaultValue: DEFAULT_COMBINATIONS.join(','),
        inForm: true,
      },
    ],
    startsGpuWork: true,
    opensThread: true,
    needsJobSystem: true,
    examples: ['combine task=customer_service model=tiny seeds=2'],
  },
  { name: 'jobs', summary: "this team's recent comparison jobs", options: [], needsJobSystem: true },
  {
    name: 'status',
    summary: 'progress, ETA and latest metrics of a job',
    options: [jobId(true)],
    needsJobSystem: true,
  },
  {
    name: 'cancel',
    summary: 'stop a job (requester or admin)',
    options: [jobId(true)],
    needsJobSystem: true,
  },
  {
    name: 'retry',
    summary: 're-run the failed or cancelled runs of a job (requester or admin)',
    options: [jobId(true)],
    startsGpuWork: true,
    needsJobSystem: true,
  },
  {
    name: 'results',
    summary: 'results table and charts of a job',
    options: [jobId(false)],
    needsJobSystem: true,
  },
  {
    name: 'adapter',
    summary: 'the LoRA adapter a job chose, as a file in the thread or a download link',
    usage: 'adapter <job id> [task] [method]',
    options: [
      jobId(true),
      {
        name: 'task',
        description: "Which of the job's tasks (default: its only one)",
        type: 'string',
        placeholder: 'task',
      },
      {
        name: 'method',
        description: 'Which adapter method (default: lora)',
        type: 'string',
        placeholder: 'method',
        choices: METHODS.filter((m) => methodSpec(m).adapter).map((m) => ({ value: m, label: m })),
      },
    ],
    needsJobSystem: true,
  },
  {
    name: 'subscribe',
    summary: "post this team's job notices in this channel",
    options: [],
    needsJobSystem: true,
  },
  { name: 'unsubscribe', summary: 'stop job notices in this channel', options: [], needsJobSystem: true },
  {
    name: 'quota',
    summary: "this team's limits and GPU-hours used this month",
    options: [],
    needsJobSystem: true,
  },
];

export function catalogEntry(name: string): CommandEntry {
  const entry = COMMAND_CATALOG.find((e) => e.name === name);
  if (!entry) throw new Error(`no command "${name}" in the catalog`);
  return entry;
}
