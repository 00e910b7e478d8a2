import type { Chart, ChartType, Plugin } from 'chart.js';
import { GRID, INK } from '../palette';
import { FONT_FAMILY } from '../theme';

/** Consecutive categories that belong together (e.g. the metrics of one task), by index range. */
export interface CategoryGroup {
  label: string;
  from: number;
  to: number;
}

export interface GroupLabelsOptions {
  groups: CategoryGroup[];
  fontSize: number;
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    faceoffGroupLabels?: GroupLabelsOptions;
  }
}

/** Names each group of categories under the x axis with a bracket, and separates groups with a line. */
export const groupLabelsPlugin: Plugin<'bar', GroupLabelsOptions> = {
  id: 'faceoffGroupLabels',
  afterDraw(chart: Chart<'bar'>, _args, options) {
    const groups = options?.groups;
    const x = chart.scales.x;
    if (!groups?.length || !x) return;
    const step = (x.right - x.left) / Math.max(1, chart.data.labels?.length ?? 1);
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.font = `bold ${options.fontSize}px "${FONT_FAMILY}"`;
    ctx.fillStyle = INK;
    ctx.strokeStyle = INK;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    groups.forEach((group, i) => {
      const left = x.getPixelForValue(group.from) - step / 2;
      const right = x.getPixelForValue(group.to) + step / 2;
      const y = x.bottom + 6;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(left + 10, y);
      ctx.lineTo(right - 10, y);
      ctx.stroke();
      ctx.fillText(group.label, (left + right) / 2, y + 6);
      if (i > 0) {
        ctx.strokeStyle = GRID;
        ctx.setLineDash([6, 6]);
        ctx.beginPath();
        ctx.moveTo(left, chartArea.top);
        ctx.lineTo(left, chartArea.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.strokeStyle = INK;
      }
    });
    ctx.restore();
  },
};
