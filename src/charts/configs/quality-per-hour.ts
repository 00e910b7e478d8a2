import type { ChartConfiguration } from 'chart.js';
import { formatHoursShort, QUALITY_SHARES, type TaskQuality } from '../../analysis/quality-per-hour';
import type { ChartSpec } from '../chart-spec';
import { METHOD_COLORS, METHOD_NAMES } from '../palette';
import { CHART_SIZE } from '../theme';
import { axisTitle, gridStyle, headerPlugins, tickStyle } from './layout';

/** The task's primary metric against training device-hours for both methods: the plateau, measured. */
export function qualityPerHourChart(q: TaskQuality): ChartSpec {
  const title = `Quality per ${q.hoursKind}: ${q.task}`;
  const config: ChartConfiguration<'line', { x: number; y: number }[]> = {
    type: 'line',
    data: {
      datasets: [
        ...q.methods.map((m) => ({
          label: `${METHOD_NAMES[m.method]} (${m.seeds} seed${m.seeds === 1 ? '' : 's'})`,
          data: m.curve.map((p) => ({ x: p.hours, y: p.metric })),
          borderColor: METHOD_COLORS[m.method],
          backgroundColor: METHOD_COLORS[m.method],
          borderWidth: 4,
          pointRadius: 5,
          fill: false,
        })),
        {
          label: `95% of the best final score (${(0.95 * q.best).toFixed(3)})`,
          data: [
            { x: 0, y: 0.95 * q.best },
            { x: Math.max(...q.methods.flatMap((m) => m.curve.map((p) => p.hours))), y: 0.95 * q.best },
          ],
          borderColor: '#555555',
          borderDash: [6, 6],
          borderWidth: 2,
          pointRadius: 0,
          fill: false,
        },
      ],
    },
    options: {
      layout: { padding: { left: 8, right: 24, top: 4, bottom: 4 } },
      plugins: {
        ...headerPlugins(title, [
          `${q.metric} on ${q.items} fixed test items at each evaluation point, mean over seeds (measured)`,
          'x: training time so far, evaluation excluded',
        ]),
      },
      scales: {
        x: {
          type: 'linear',
          min: 0,
          title: axisTitle(`training ${q.hoursKind}`),
          ticks: tickStyle,
          grid: gridStyle,
        },
        y: { type: 'linear', min: 0, title: axisTitle(q.metric), ticks: tickStyle, grid: gridStyle },
      },
    },
  };
  const parts = q.methods.map((m) => {
    const reach = QUALITY_SHARES.map(
      (s, i) => `${Math.round(s * 100)}% of the best in ${formatHoursShort(m.toBest[i])}`,
    );
    return `${METHOD_NAMES[m.method]} ends at ${m.final.toFixed(3)}; it reached ${reach.join(', ')}.`;
  });
  return {
    filename: `quality-per-hour-${q.task}.png`,
    title,
    altText: `Line chart of ${q.metric} against training ${q.hoursKind} on ${q.task} for LoRA and full fine-tuning, with a dashed line at 95% of the better final score. ${parts.join(' ')}`,
    size: CHART_SIZE,
    config: config as ChartConfiguration,
  };
}
