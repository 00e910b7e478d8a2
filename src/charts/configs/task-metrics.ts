import type { ChartConfiguration } from 'chart.js';
import type { SampleSummary } from '../../analysis/statistics';
import type { MetricComparison, TaskAnalysis } from '../../analysis/task-analysis';
import { formatEstimate } from '../../analysis/uncertainty-format';
import type { ChartSpec } from '../chart-spec';
import { METHOD_COLORS, METHOD_NAMES } from '../palette';
import { errorBarsPlugin } from '../plugins/error-bars';
import { type CategoryGroup, groupLabelsPlugin } from '../plugins/group-labels';
import { CHART_SIZE, type ChartSize, FONT_SIZES } from '../theme';
import { sharedArmSettingsLine } from './arm-settings';
import { axisTitle, gridStyle, headerPlugins, tickStyle, wrapLabel } from './layout';

/** Above this many bars groups the chart keeps only each task's primary, quality and consistency metrics. */
export const MAX_METRIC_GROUPS = 12;
const WIDE: ChartSize = { width: 1400, height: 700 };

interface Group {
  task: string;
  comparison: MetricComparison;
}

function groupsOf(tasks: readonly TaskAnalysis[]): Group[] {
  const all = tasks.flatMap((task) =>
    task.metrics
      .filter((m) => m.metric.kind === 'task')
      .map((comparison) => ({ task: task.task, comparison })),
  );
  if (all.length <= MAX_METRIC_GROUPS) return all;
  const keep = (m: MetricComparison) =>
    m.metric.primary || m.metric.name === 'quality_proxy_chrf' || m.metric.name.startsWith('consistency');
  return all.filter((g) => keep(g.comparison));
}

const interval = (s: SampleSummary) => (s.ci ? { low: s.ci.low, high: s.ci.high } : null);

function label(group: Group): string[] {
  const { metric } = group.comparison;
  return wrapLabel(
    `${metric.label}${metric.primary ? ' (primary)' : ''}${metric.higherIsBetter ? '' : ' (lower is better)'}`,
    15,
  );
}

/** Index ranges of consecutive categories of the same task. */
function taskGroups(groups: Group[]): CategoryGroup[] {
  const out: CategoryGroup[] = [];
  groups.forEach((g, i) => {
    const last = out.at(-1);
    if (last && last.label === g.task) last.to = i;
    else out.push({ label: g.task, from: i, to: i });
  });
  return out;
}

function describe(groups: Group[]): string {
  const parts = groups.map(({ task, comparison: m }) => {
    const verdict =
      m.verdict.outcome === 'no_significant_difference'
        ? 'no significant difference'
        : m.verdict.outcome === 'full_better'
          ? 'full fine-tuning better'
          : 'LoRA better';
    return `${task} ${m.metric.label}: LoRA ${formatEstimate(m.lora)}, Full FT ${formatEstimate(m.full)} (${verdict})`;
  });
  return `Grouped bar chart of test-set task metrics (0 to 1, higher is better) for LoRA and full fine-tuning, mean over seeds with 95% confidence-interval error bars. ${parts.join('; ')}.`;
}

/** Task metrics per task and metric, both methods, with 95% CI error bars. */
export function taskMetricsChart(tasks: readonly TaskAnalysis[]): ChartSpec | undefined {
  const groups = groupsOf(tasks);
  if (!groups.length) return undefined;
  const multiTask = new Set(groups.map((g) => g.task)).size > 1;
  const methods = ['lora', 'full'] as const;
  const seeds = Math.max(...groups.map((g) => Math.max(g.comparison.lora.n, g.comparison.full.n)));
  const title = multiTask ? 'Task metrics (test split)' : `Task metrics (test split): ${groups[0]?.task}`;
  const settings = sharedArmSettingsLine(tasks);
  const config: ChartConfiguration<'bar', (number | null)[], string[]> = {
    type: 'bar',
    data: {
      labels: groups.map(label),
      datasets: methods.map((method) => ({
        label: METHOD_NAMES[method],
        data: groups.map((g) => g.comparison[method].mean ?? null),
        backgroundColor: METHOD_COLORS[method],
        borderColor: METHOD_COLORS[method],
        borderWidth: 0,
        categoryPercentage: 0.7,
        barPercentage: 0.9,
      })),
    },
    options: {
      layout: { padding: { left: 8, right: 16, top: 4, bottom: multiTask ? 40 : 4 } },
      plugins: {
        ...headerPlugins(title, [
          `Bars: mean over ${seeds} seed${seeds === 1 ? '' : 's'}; error bars: 95% confidence interval (none with 1 seed)`,
          ...(settings ? [settings] : []),
        ]),
        faceoffErrorBars: {
          intervals: methods.map((method) => groups.map((g) => interval(g.comparison[method]))),
        },
        ...(multiTask
          ? { faceoffGroupLabels: { groups: taskGroups(groups), fontSize: FONT_SIZES.legend } }
          : {}),
      },
      scales: {
        x: { ticks: { ...tickStyle, autoSkip: false, maxRotation: 0 }, grid: { display: false } },
        y: { min: 0, max: 1, title: axisTitle('score (0-1)'), ticks: tickStyle, grid: gridStyle },
      },
    },
    plugins: [errorBarsPlugin, groupLabelsPlugin],
  };
  return {
    filename: 'task-metrics.png',
    title,
    altText: describe(groups),
    size: groups.length > 6 ? WIDE : CHART_SIZE,
    config: config as unknown as ChartConfiguration,
  };
}
