/** Sizes and fonts tuned to stay readable when a chat client shows the image as a thumbnail. */
export const FONT_FAMILY = 'DejaVu Sans';

export interface ChartSize {
  width: number;
  height: number;
}

export const CHART_SIZE: ChartSize = { width: 1000, height: 600 };

export const FONT_SIZES = {
  title: 26,
  subtitle: 18,
  axisTitle: 20,
  ticks: 18,
  legend: 19,
  valueLabel: 16,
} as const;

export const font = (size: number, weight: 'normal' | 'bold' = 'normal') => ({
  family: FONT_FAMILY,
  size,
  weight,
});
