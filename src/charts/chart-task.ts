/**
 * What a chart worker thread runs: one ReplyCharts call, sent as data (its arguments cross the
 * thread boundary by structured clone, so they are plain data: no functions, no class instances).
 * The chart.js configurations, with their tick callbacks and plugins, are built here, inside the
 * worker, by the same code that draws charts inline.
 */
import type { ImageAttachment } from '../chat/replies';
import { ChartRenderer } from './renderer';
import { createReplyCharts, type ReplyCharts } from './reply-charts';

export type ChartMethod = keyof ReplyCharts;

/** One ReplyCharts call: the chart family and its arguments. */
export type ChartTask = { [M in ChartMethod]: { method: M; args: Parameters<ReplyCharts[M]> } }[ChartMethod];

/** What a ReplyCharts call resolves to: one image or several. */
export type ChartResult = ImageAttachment | ImageAttachment[];

let charts: ReplyCharts | undefined;

/** Draws the charts of one task on this thread's own renderer (canvases made on first use). */
export default function renderChartTask(task: ChartTask): Promise<ChartResult> {
  charts ??= createReplyCharts(new ChartRenderer());
  const call = charts[task.method] as (...args: unknown[]) => Promise<ChartResult>;
  return call(...task.args);
}
