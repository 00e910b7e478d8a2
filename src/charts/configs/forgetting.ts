import type { ChartConfiguration } from 'chart.js';
import type { ForgettingPoint } from '../../analysis/forgetting';
import type { ChartSpec } from '../chart-spec';
import { METHOD_COLORS, METHOD_NAMES } from '../palette';
import { CHART_SIZE } from '../theme';
import { axisTitle, gridStyle, headerPlugins, tickStyle } from './layout';

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** One point per run: how much the task's validation loss fell against how much general-text loss rose. */
export function forgettingChart(task: string, points: readonly ForgettingPoint[]): ChartSpec | undefined {
  if (!points.length) return undefined;
  const methods = (['lora', 'full'] as const).filter((m) => points.some((p) => p.method === m));
  const title = `Learning vs forgetting: ${task}`;
  const config: ChartConfiguration<'scatter', { x: number; y: number }[]> = {
    type: 'scatter',
    data: {
      datasets: methods.map((method) => {
        const mine = points.filter((p) => p.method === method);
        return {
          label: `${METHOD_NAMES[method]} (${mine.length} run${mine.length === 1 ? '' : 's'})`,
          data: mine.map((p) => ({ x: p.forgetting, y: p.learning })),
          borderColor: METHOD_COLORS[method],
          backgroundColor: METHOD_COLORS[method],
          pointRadius: 9,
          pointStyle: method === 'lora' ? 'circle' : 'rectRot',
        };
      }),
    },
    options: {
      layout: { padding: { left: 8, right: 24, top: 4, bottom: 4 } },
      plugins: {
        ...headerPlugins(title, [
          'One point per run (measured): up is more learned, right is more forgotten',
          'Learning: fall of the task validation loss; forgetting: rise of the loss on held-out general text',
        ]),
      },
      scales: {
        x: {
          type: 'linear',
          title: axisTitle('forgetting: general-text loss rise (nats/token)'),
          ticks: tickStyle,
          grid: gridStyle,
        },
        y: {
          type: 'linear',
          title: axisTitle('learning: task val loss fall (nats/token)'),
          ticks: tickStyle,
          grid: gridStyle,
        },
      },
    },
  };
  const parts = methods.map((method) => {
    const mine = points.filter((p) => p.method === method);
    return `${METHOD_NAMES[method]}: learning ${mean(mine.map((p) => p.learning)).toFixed(3)}, forgetting ${mean(mine.map((p) => p.forgetting)).toFixed(3)} (mean of ${mine.length}).`;
  });
  return {
    filename: `learning-vs-forgetting-${task}.png`,
    title,
    altText: `Scatter chart of learning against forgetting on ${task}, one point per run. ${parts.join(' ')}`,
    size: CHART_SIZE,
    config: config as ChartConfiguration,
  };
}
