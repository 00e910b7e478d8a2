import type { ReplyCharts } from '../charts/reply-charts';
import type { Reply, Table } from '../chat/replies';
import { parseCostArguments } from '../cost/arguments';
import { compareCosts } from '../cost/cost-model';
import { costChartBasis, costReply } from '../cost/messages';
import { ATTENTION_TARGET_MODULES, TASK_IDS, taskProfile } from '../tasks/profiles';
import type { CommandContext, CommandHandlers } from './registry';

export function tasksTable(): Table {
  return {
    title: `The ${TASK_IDS.length} task profiles and their LoRA presets`,
    columns: [
      { header: 'Task' },
      { header: 'Complexity' },
      { header: 'Domain' },
      { header: 'Creativity' },
      { header: 'Expected winner' },
      { header: 'LoRA r / alpha / dropout', align: 'right' },
    ],
    rows: TASK_IDS.map((id) => {
      const p = taskProfile(id);
      return [
        p.id,
        p.complexity,
        p.domainSpecificity,
        p.creativityRequired,
        p.expectedWinner,
        `${p.lora.r} / ${p.lora.alpha} / ${p.lora.dropout}`,
      ];
    }),
    notes: [
      ...TASK_IDS.map((id) => `${id}: ${taskProfile(id).reasoning}`),
      '"Expected winner" is the framework\'s hypothesis before measuring, not a result: /faceoff compare measures it on your model.',
      `LoRA targets all linear layers (attention and MLP) by default; the attention-only set (${ATTENTION_TARGET_MODULES.join(', ')}) is an option.`,
    ],
  };
}

async function tasks(): Promise<Reply[]> {
  return [{ text: '*Task profiles*', tables: [tasksTable()] }];
}

async function cost(ctx: CommandContext, charts?: Pick<ReplyCharts, 'cost'>): Promise<Reply[]> {
  if (ctx.args.positional.length > 0) {
    return [
      {
        text: `cost takes only key=value pairs; "${ctx.args.positional.join(' ')}" is not one. Example: /faceoff cost lora_gpu_hours=4 full_gpu_hours=40`,
        ephemeral: true,
      },
    ];
  }
  const request = parseCostArguments(ctx.args.pairs);
  if (!request.ok) {
    return [
      {
        text: `Nothing was computed:\n${request.error}\nUsage: /faceoff cost [preset=article] [key=value ...]`,
        ephemeral: true,
      },
    ];
  }
  const reply = costReply(request.value);
  if (!charts) return [reply];
  try {
    const image = await charts.cost(compareCosts(request.value.inputs), costChartBasis(request.value));
    return [{ ...reply, images: [image] }];
  } catch {
    // The tables carry every figure; the chart is a view of them.
    return [reply];
  }
}

/** The commands that need nothing but the core (and charts, when given). */
export function builtinHandlers(charts?: Pick<ReplyCharts, 'cost'>): CommandHandlers {
  return { cost: (ctx) => cost(ctx, charts), tasks };
}
