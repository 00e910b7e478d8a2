/** `/faceoff quota`: the team's limits, what it is using now, and what is left this month. */
import type { Reply, Table } from '../../chat/replies';
import { formatHours } from './quota-format';
import { QUOTA_VARIABLES, type QuotaSettings } from './quota-settings';
import { limitFor } from './team-limits';
import { monthStart, type TeamUsage } from './usage';

const shown = (limit: number) => (limit > 0 ? limit.toLocaleString('en-US') : 'no limit');

export function quotaReply(team: string, settings: QuotaSettings, usage: TeamUsage, now: Date): Reply {
  const budget = limitFor(settings.monthlyGpuHours, team);
  const start = monthStart(now);
  const next = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  const month = start.toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const left = budget - usage.usedHours - usage.reservedHours;
  const hoursNow = [
    `${formatHours(usage.usedHours)} used (measured)`,
    `${formatHours(usage.reservedHours)} reserved (estimated)`,
    ...(budget > 0 ? [`${formatHours(Math.max(0, left))} left`] : []),
    ...(usage.unestimatedRuns ? [`${usage.unestimatedRuns} queued run(s) not yet estimable`] : []),
  ].join(', ');
  const table: Table = {
    title: `Quota for this workspace, ${month} (UTC)`,
    columns: [{ header: 'Limit' }, { header: 'Value', align: 'right' }, { header: 'Now' }],
    rows: [
      ['Runs per comparison', shown(limitFor(settings.runsPerComparison, team)), ''],
      ['Steps per run', shown(limitFor(settings.stepsPerRun, team)), ''],
      [
        'Runs at once',
        shown(limitFor(settings.concurrentRuns, team)),
        `${usage.activeRuns} running, ${usage.queuedRuns} queued`,
      ],
      ['GPU-hours per month', budget > 0 ? formatHours(budget) : 'no limit', hoursNow],
    ],
    notes: [
      'GPU-hours are device-hours: a run on N GPUs counts N hours per hour, a run on a CPU worker counts as one device.',
      'Used: measured wall time of runs that ended this month. Reserved: queued and running runs, estimated from measured time per step of the same model and method.',
      `The budget renews on ${next.toISOString().slice(0, 10)}. The operator sets these limits: ${Object.values(QUOTA_VARIABLES).join(', ')}.`,
    ],
  };
  return { text: '*Quota*', tables: [table] };
}
