import type { ChartConfiguration } from 'chart.js';
import type { CombinationAnalysis } from '../../analysis/combination';
import type { SampleSummary } from '../../analysis/statistics';
import { formatDifference, formatEstimate } from '../../analysis/uncertainty-format';
import type { ChartSpec } from '../chart-spec';
import { OKABE_ITO } from '../palette';
import { errorBarsPlugin } from '../plugins/error-bars';
import { CHART_SIZE, type ChartSize } from '../theme';
import {
  axisTitle,
  BAR_CHART_LAYOUT,
  BAR_STYLE,
  gridStyle,
  headerPlugins,
  tickStyle,
  wrapLabel,
} from './layout';

const WIDE: ChartSize = { width: 1400, height: 700 };
/** One colour per measured set: the skills in order, then the combined set in black. */
const SET_COLORS = [
  OKABE_ITO.skyBlue,
  OKABE_ITO.orange,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.yellow,
  OKABE_ITO.blue,
];

/** The best combination against multi-task full fine-tuning, short enough for a subtitle. */
function comparisonLine(analysis: CombinationAnalysis): string {
  const c = analysis.comparison;
  if (!c) return analysis.verdict;
  return `${c.best.label} vs multi-task full FT on ${analysis.combinedMetric}, paired by seed: full - combination ${formatDifference(c.difference)} (${OUTCOME_WORDS[c.verdict.outcome]})`;
}

const OUTCOME_WORDS = {
  full_better: 'full fine-tuning better',
  lora_better: 'the combination better',
  no_significant_difference: 'no significant difference',
} as const;

const interval = (s: SampleSummary | undefined) => (s?.ci ? { low: s.ci.low, high: s.ci.high } : null);

/**
 * A combine job's scores: grouped bars per variant (each skill adapter alone, multi-task LoRA,
 * multi-task full fine-tuning, each combination), one bar per skill's test set and one for the
 * combined held-out set, with 95% interval error bars.
 */
export function combinationChart(analysis: CombinationAnalysis): ChartSpec | undefined {
  if (!analysis.rows.length) return undefined;
  const sets = [
    ...analysis.skills.map((skill, i) => ({
      key: skill,
      label: `${skill} (${analysis.skillMetrics[skill]})`,
      color: SET_COLORS[i % SET_COLORS.length] as string,
    })),
    { key: 'combined', label: `combined set (${analysis.combinedMetric})`, color: OKABE_ITO.black },
  ];
  const seeds = Math.max(...analysis.rows.map((r) => r.scores.combined?.n ?? 0));
  const title = 'Skill adapters: alone, combined, and multi-task (test split)';
  const config: ChartConfiguration<'bar', (number | null)[], string[]> = {
    type: 'bar',
    data: {
      labels: analysis.rows.map((r) => wrapLabel(r.label, 16)),
      datasets: sets.map((set) => ({
        label: set.label,
        data: analysis.rows.map((r) => r.scores[set.key]?.mean ?? null),
        backgroundColor: set.color,
        borderColor: set.color,
        ...BAR_STYLE,
      })),
    },
    options: {
      layout: BAR_CHART_LAYOUT,
      plugins: {
        ...headerPlugins(title, [
          `Bars: mean over ${seeds} seed${seeds === 1 ? '' : 's'}; error bars: 95% confidence interval (none with 1 seed)`,
          comparisonLine(analysis),
        ]),
        faceoffErrorBars: {
          intervals: sets.map((set) => analysis.rows.map((r) => interval(r.scores[set.key]))),
        },
      },
      scales: {
        x: { ticks: { ...tickStyle, autoSkip: false, maxRotation: 0 }, grid: { display: false } },
        y: { min: 0, max: 1, title: axisTitle('score (0-1)'), ticks: tickStyle, grid: gridStyle },
      },
    },
    plugins: [errorBarsPlugin],
  };
  const alt = analysis.rows
    .map(
      (r) =>
        `${r.label}: combined set ${formatEstimate(r.scores.combined ?? { n: 0, mean: undefined, sd: undefined, ci: undefined, halfWidth: undefined })}`,
    )
    .join('; ');
  return {
    filename: 'combination.png',
    title,
    altText: `Grouped bar chart of test-set scores (0 to 1, higher is better) per variant: each skill's set and the combined held-out set, mean over seeds with 95% confidence-interval error bars. ${alt}. ${analysis.verdict}`,
    size: analysis.rows.length > 6 ? WIDE : CHART_SIZE,
    config: config as unknown as ChartConfiguration,
  };
}
