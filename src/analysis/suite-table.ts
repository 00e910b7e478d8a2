import type { Table } from '../chat/replies';
import { UNCERTAINTY_NOTE } from './analysis-tables';
import { gapDirection, SUMMARY_ROLES, type SuiteSummary } from './suite-summary';
import { formatEstimate } from './uncertainty-format';

const signedGap = (gap: number) => `${gap > 0 ? '+' : ''}${gap.toFixed(3)}`;

/**
 * The article-style summary over several tasks: each task's Full FT and LoRA rows, the winner on
 * the primary metric, and the average gap full - LoRA across tasks. Every figure is from these runs.
 */
export function suiteSummaryTable(suite: SuiteSummary): Table {
  const rows: string[][] = [];
  for (const row of suite.rows) {
    const cells = (method: 'full' | 'lora') =>
      SUMMARY_ROLES.map(({ role }) => {
        const cell = row.cells[role];
        return cell ? formatEstimate(cell[method]) : '-';
      });
    rows.push([row.task, 'Full FT', ...cells('full'), '']);
    rows.push(['', 'LoRA', ...cells('lora'), row.winnerLabel]);
  }
  rows.push([
    'Average gap',
    'Full - LoRA',
    ...SUMMARY_ROLES.map((role) => {
      const gap = suite.averageGaps.find((g) => g.role.role === role.role);
      return gap ? `${signedGap(gap.gap)} (${gap.tasks} tasks)` : '-';
    }),
    `Full FT ${suite.wins.full_better}, LoRA ${suite.wins.lora_better}, n.s. ${suite.wins.no_significant_difference}`,
  ]);
  const primaryNames = suite.rows
    .map((r) => `${r.task}: ${r.cells.primary?.metric.name ?? 'none'}`)
    .join('; ');
  return {
    title: 'Summary across tasks (measured by these runs)',
    columns: [
      { header: 'Task' },
      { header: 'Method' },
      ...SUMMARY_ROLES.map((r) => ({ header: r.label, align: 'right' as const })),
      { header: 'Winner (primary metric)' },
    ],
    rows,
    notes: [
      UNCERTAINTY_NOTE,
      `Primary metric per task: ${primaryNames}.`,
      'Winner: the 95% interval of the paired difference excludes zero; "no significant difference" otherwise (n.s.).',
      `Average gap: mean over tasks of the paired mean difference full - LoRA. ${suite.averageGaps
        .map((g) => `${g.role.label}: ${gapDirection(g.gap, g.role.higherIsBetter)}`)
        .join('; ')}.`,
      'Scores are 0-1 (higher is better); validation loss is lower-is-better.',
    ],
  };
}
