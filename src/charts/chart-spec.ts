import type { ChartConfiguration } from 'chart.js';
import type { ChartSize } from './theme';

/** A chart ready to render: its chart.js configuration plus what the chat shows beside the image. */
export interface ChartSpec {
  filename: string;
  title: string;
  /** What the image shows, with its key numbers, for screen readers and text-only clients. */
  altText: string;
  size: ChartSize;
  config: ChartConfiguration;
}
