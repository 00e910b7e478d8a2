import type { Chart, ChartType, Plugin } from 'chart.js';
import { INK } from '../palette';
import { FONT_FAMILY } from '../theme';

/** Text drawn at the end of each bar: `labels[datasetIndex][dataIndex]`, null for none. */
export interface ValueLabelsOptions {
  labels: (string | null)[][];
  fontSize: number;
  color?: string;
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    faceoffValueLabels?: ValueLabelsOptions;
  }
}

/** Writes each bar's value past its end (above vertical bars, right of horizontal ones). */
export const valueLabelsPlugin: Plugin<'bar', ValueLabelsOptions> = {
  id: 'faceoffValueLabels',
  afterDatasetsDraw(chart: Chart<'bar'>, _args, options) {
    const labels = options?.labels;
    if (!labels?.length) return;
    const { ctx } = chart;
    const horizontal = chart.options.indexAxis === 'y';
    ctx.save();
    ctx.fillStyle = options.color ?? INK;
    ctx.font = `${options.fontSize}px "${FONT_FAMILY}"`;
    ctx.textAlign = horizontal ? 'left' : 'center';
    ctx.textBaseline = horizontal ? 'middle' : 'bottom';
    chart.data.datasets.forEach((_dataset, datasetIndex) => {
      const meta = chart.getDatasetMeta(datasetIndex);
      if (meta.hidden) return;
      meta.data.forEach((element, dataIndex) => {
        const text = labels[datasetIndex]?.[dataIndex];
        if (!text) return;
        const { x, y } = element.getProps(['x', 'y'], true) as { x: number; y: number };
        if (horizontal) ctx.fillText(text, x + 6, y);
        else ctx.fillText(text, x, y - 5);
      });
    });
    ctx.restore();
  },
};
