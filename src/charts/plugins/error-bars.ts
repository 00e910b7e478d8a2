import type { Chart, ChartType, Plugin } from 'chart.js';
import { INK } from '../palette';

/** A 95% interval per bar: `intervals[datasetIndex][dataIndex]`, null where there is none. */
export interface ErrorBarsOptions {
  intervals: ({ low: number; high: number } | null)[][];
  color?: string;
  lineWidth?: number;
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    faceoffErrorBars?: ErrorBarsOptions;
  }
}

/**
 * Draws vertical error bars with caps over a vertical bar chart, after the bars. Kept inline (a
 * dozen lines of canvas calls) rather than adding a chart plugin package.
 */
export const errorBarsPlugin: Plugin<'bar', ErrorBarsOptions> = {
  id: 'faceoffErrorBars',
  afterDatasetsDraw(chart: Chart<'bar'>, _args, options) {
    const intervals = options?.intervals;
    if (!intervals?.length) return;
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.beginPath();
    ctx.rect(
      chartArea.left,
      chartArea.top,
      chartArea.right - chartArea.left,
      chartArea.bottom - chartArea.top,
    );
    ctx.clip();
    ctx.strokeStyle = options.color ?? INK;
    ctx.lineWidth = options.lineWidth ?? 2;
    chart.data.datasets.forEach((_dataset, datasetIndex) => {
      const meta = chart.getDatasetMeta(datasetIndex);
      const scale = meta.vScale;
      if (meta.hidden || !scale) return;
      meta.data.forEach((element, dataIndex) => {
        const interval = intervals[datasetIndex]?.[dataIndex];
        if (!interval) return;
        const { x, width } = element.getProps(['x', 'width'], true) as { x: number; width: number };
        const top = scale.getPixelForValue(interval.high);
        const bottom = scale.getPixelForValue(interval.low);
        const cap = Math.min(12, width * 0.3);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, bottom);
        ctx.moveTo(x - cap, top);
        ctx.lineTo(x + cap, top);
        ctx.moveTo(x - cap, bottom);
        ctx.lineTo(x + cap, bottom);
        ctx.stroke();
      });
    });
    ctx.restore();
  },
};
