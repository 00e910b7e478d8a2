/**
 * A combine job's results: one row per variant (each skill adapter alone, multi-task LoRA,
 * multi-task full fine-tuning, each combination of the skill adapters) with each skill's primary
 * test metric and the combined held-out set's, storage, device-hours and how many variants it can
 * deploy; and the best combination against one multi-task full fine-tune, paired by seed.
 */
import type { Table } from '../chat/replies';
import { COMBINATIONS, COMBINED_METRIC, variantOf } from '../comparison/combinations';
import { formatBytes } from '../format/units';
import {
  judgeDifference,
  type MetricVerdict,
  type PairedDifference,
  pairedDifference,
} from './paired-difference';
import { type RunLike, summaryOf } from './run-summary';
import { type SampleSummary, summarize } from './statistics';
import { formatDifference, formatEstimate } from './uncertainty-format';

interface SkillSetMetrics {
  primary_metric?: string | null;
  metrics?: Record<string, number | null>;
}

interface CombineSummaryFields {
  skill_metrics?: Record<string, SkillSetMetrics>;
  skills?: string[];
  storage?: { adapters_total_bytes?: number; combined_bytes?: number };
}

export type VariantKind = 'skill' | 'multi_lora' | 'multi_full' | 'combination';

export interface CombinationRow {
  key: string;
  label: string;
  kind: VariantKind;
  /** Each skill's primary test metric, then the combined set's (key `combined`), over seeds. */
  scores: Record<string, SampleSummary>;
  /** By seed: the combined set's primary metric. */
  combinedBySeed: Map<number, number>;
  /** Bytes to store to serve the variant: a combination counts its k source adapters. */
  storageBytes: SampleSummary;
  /** Device-hours to obtain it: a combination's include its seed's skill runs. */
  deviceHours: SampleSummary;
  /** Models it can serve: a set of k skill adapters gives 2^k - 1 combinations, one model 1. */
  deployable: number;
}

export interface CombinationAnalysis {
  skills: string[];
  /** The combined set's primary metric (`all_skills_ok` for the customer_service skills). */
  combinedMetric: string;
  /** Each skill's primary metric, by skill. */
  skillMetrics: Record<string, string>;
  rows: CombinationRow[];
  /** Best combination (highest mean on the combined set) vs multi-task full fine-tuning. */
  comparison?: {
    best: CombinationRow;
    full: CombinationRow;
    /** Full minus the combination, paired by seed. */
    difference: PairedDifference;
    verdict: MetricVerdict;
  };
  /** One line, saying only what the numbers support. */
  verdict: string;
}

const hoursOf = (run: RunLike): number | undefined => {
  const s = summaryOf(run);
  if (!s) return undefined;
  return typeof s.device_hours === 'number' ? s.device_hours : s.wall_time_s / 3600;
};

const combineFields = (run: RunLike) => (summaryOf(run) ?? {}) as CombineSummaryFields;

/** The analysis of a combine job's completed runs; undefined when it has none. */
export function analyzeCombination(
  runs: readonly RunLike[],
  skills: readonly string[],
): CombinationAnalysis | undefined {
  const done = runs.filter((r) => r.state === 'completed' && summaryOf(r) && variantOf(r.task));
  if (!done.length) return undefined;
  const first = summaryOf(done[0] as RunLike);
  const combinedMetric = first?.primary_metric ?? COMBINED_METRIC;
  const skillMetrics: Record<string, string> = {};
  for (const skill of skills) {
    const found = done.map((r) => combineFields(r).skill_metrics?.[skill]?.primary_metric).find(Boolean);
    skillMetrics[skill] = found ?? 'primary';
  }
  const skillRuns = (seed: number) =>
    done.filter((r) => variantOf(r.task)?.kind === 'skill' && r.seed === seed);

  const rowOf = (
    key: string,
    label: string,
    kind: VariantKind,
    members: RunLike[],
    deployable: number,
  ): CombinationRow => {
    const scores: Record<string, SampleSummary> = {};
    for (const skill of skills) {
      scores[skill] = summarize(
        members.flatMap((r) => {
          const set = combineFields(r).skill_metrics?.[skill];
          const value = set?.metrics?.[set.primary_metric ?? ''];
          return typeof value === 'number' ? [value] : [];
        }),
      );
    }
    const combinedBySeed = new Map<number, number>();
    for (const r of members) {
      const value = summaryOf(r)?.metrics[combinedMetric];
      if (typeof value === 'number') combinedBySeed.set(r.seed, value);
    }
    scores.combined = summarize([...combinedBySeed.values()]);
    const storage = members.flatMap((r) => {
      const s = summaryOf(r);
      if (!s) return [];
      if (kind !== 'combination') return [s.artifact_bytes];
      const sources = combineFields(r).storage?.adapters_total_bytes;
      return typeof sources === 'number' ? [sources] : [];
    });
    const hours = members.flatMap((r) => {
      const own = hoursOf(r);
      if (own === undefined) return [];
      if (kind !== 'combination') return [own];
      return [own + skillRuns(r.seed).reduce((sum, s) => sum + (hoursOf(s) ?? 0), 0)];
    });
    return {
      key,
      label,
      kind,
      scores,
      combinedBySeed,
      storageBytes: summarize(storage),
      deviceHours: summarize(hours),
      deployable,
    };
  };

  const rows: CombinationRow[] = [];
  const byVariant = (test: (r: RunLike) => boolean) => done.filter(test);
  for (const skill of skills) {
    const members = byVariant((r) => {
      const v = variantOf(r.task);
      return v?.kind === 'skill' && v.skill === skill;
    });
    if (members.length) rows.push(rowOf(`skill:${skill}`, `LoRA ${skill} only`, 'skill', members, 1));
  }
  const multi = (method: string) =>
    byVariant((r) => variantOf(r.task)?.kind === 'multi' && r.method === method);
  const lora = multi('lora');
  if (lora.length) rows.push(rowOf('multi:lora', 'Multi-task LoRA', 'multi_lora', lora, 1));
  const full = multi('full');
  const fullRow = full.length ? rowOf('multi:full', 'Multi-task full FT', 'multi_full', full, 1) : undefined;
  if (fullRow) rows.push(fullRow);
  for (const combination of COMBINATIONS) {
    const members = byVariant((r) => {
      const v = variantOf(r.task);
      return v?.kind === 'combination' && v.combination === combination;
    });
    if (members.length)
      rows.push(
        rowOf(
          `combine:${combination}`,
          `Combined (${combination})`,
          'combination',
          members,
          2 ** skills.length - 1,
        ),
      );
  }

  const combos = rows.filter((r) => r.kind === 'combination' && r.scores.combined?.mean !== undefined);
  const best = combos.reduce<CombinationRow | undefined>(
    (a, b) => (!a || (b.scores.combined?.mean ?? -Infinity) > (a.scores.combined?.mean ?? -Infinity) ? b : a),
    undefined,
  );
  let comparison: CombinationAnalysis['comparison'];
  if (best && fullRow) {
    const difference = pairedDifference(fullRow.combinedBySeed, best.combinedBySeed);
    comparison = { best, full: fullRow, difference, verdict: judgeDifference(difference, true) };
  }
  const tied = combos.filter((r) => r !== best && r.scores.combined?.mean === best?.scores.combined?.mean);
  return {
    skills: [...skills],
    combinedMetric,
    skillMetrics,
    rows,
    ...(comparison ? { comparison } : {}),
    verdict: verdictText(comparison, combos.length, combinedMetric, tied),
  };
}

function verdictText(
  comparison: CombinationAnalysis['comparison'],
  combinations: number,
  metric: string,
  tied: readonly CombinationRow[],
): string {
  if (!comparison)
    return combinations
      ? 'No verdict: multi-task full fine-tuning has no completed run to compare with.'
      : 'No verdict: no combination completed.';
  const { best, difference, verdict } = comparison;
  const chosen = tied.length
    ? ` (tied for the best mean of ${combinations} combinations with ${tied.map((r) => r.label).join(', ')})`
    : combinations > 1
      ? ` (the best of ${combinations} combinations on these same runs, which favours it)`
      : '';
  const gap = `full - combination ${formatDifference(difference)} on ${metric}, paired over ${difference.n} seed${difference.n === 1 ? '' : 's'}`;
  switch (verdict.outcome) {
    case 'full_better':
      return `One multi-task full fine-tune beat ${best.label}${chosen} on the combined set: ${gap}; ${verdict.note}.`;
    case 'lora_better':
      return `${best.label}${chosen} beat one multi-task full fine-tune on the combined set: ${gap}; ${verdict.note}.`;
    default:
      return `No significant difference between ${best.label}${chosen} and one multi-task full fine-tune on the combined set: ${gap}; ${verdict.note}.`;
  }
}

const hoursText = (s: SampleSummary) =>
  s.mean === undefined ? '-' : s.mean < 0.001 ? s.mean.toExponential(2) : s.mean.toFixed(3);

/** The combination table: one row per variant. */
export function combinationTable(analysis: CombinationAnalysis): Table {
  const seeds = Math.max(0, ...analysis.rows.map((r) => r.scores.combined?.n ?? 0));
  return {
    title: `Skill adapters, combined vs multi-task: mean ± 95% interval half-width over up to ${seeds} seeds`,
    columns: [
      { header: 'Variant' },
      ...analysis.skills.map((skill) => ({
        header: `${skill} (${analysis.skillMetrics[skill]})`,
        align: 'right' as const,
      })),
      { header: `Combined set (${analysis.combinedMetric})`, align: 'right' },
      { header: 'Storage', align: 'right' },
      { header: 'Device-hours', align: 'right' },
      { header: 'Deployable variants', align: 'right' },
    ],
    rows: analysis.rows.map((row) => [
      row.label,
      ...analysis.skills.map((skill) => formatEstimate(row.scores[skill] ?? summarize([]))),
      formatEstimate(row.scores.combined ?? summarize([])),
      row.storageBytes.mean === undefined ? '-' : formatBytes(row.storageBytes.mean),
      hoursText(row.deviceHours),
      String(row.deployable),
    ]),
    notes: [
      "Scores are test-split metrics on the 0-1 scale; each skill column is that skill's own test set, the combined set is held out and needs every skill in one reply.",
      `Storage of a combination counts its ${analysis.skills.length} source skill adapters (what is kept to build any of the ${2 ** analysis.skills.length - 1} subsets), not the combined adapter it produced.`,
      "Device-hours of a combination include its seed's skill runs and its own evaluation; nothing is trained when combining.",
      ...(analysis.comparison
        ? [
            `${analysis.comparison.best.label} vs multi-task full FT (full - combination, paired by seed): ${formatDifference(analysis.comparison.difference)}.`,
          ]
        : []),
    ],
  };
}
