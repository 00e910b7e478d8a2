import { GRID, INK, METHOD_COLORS, METHOD_NAMES } from '../palette';
import { FONT_SIZES, font } from '../theme';

interface LegendChoice {
  display?: boolean;
  position?: 'top' | 'bottom' | 'right';
  labels?: Record<string, unknown>;
}

/** Title, subtitle and legend in the shared large-type style. */
export function headerPlugins(title: string, subtitle: string | string[], legend: LegendChoice = {}) {
  return {
    title: {
      display: true,
      text: title,
      color: INK,
      font: font(FONT_SIZES.title, 'bold' as const),
      padding: { top: 4, bottom: 2 },
    },
    subtitle: {
      display: true,
      text: subtitle,
      color: '#444444',
      font: font(FONT_SIZES.subtitle),
      padding: { bottom: 8 },
    },
    legend: {
      display: true,
      position: 'top' as const,
      ...legend,
      labels: {
        color: INK,
        font: font(FONT_SIZES.legend),
        boxWidth: 28,
        boxHeight: 16,
        padding: 18,
        ...(legend.labels ?? {}),
      },
    },
    tooltip: { enabled: false },
  };
}

export const axisTitle = (text: string) => ({
  display: true,
  text,
  color: INK,
  font: font(FONT_SIZES.axisTitle, 'bold' as const),
});

export const tickStyle = { color: INK, font: font(FONT_SIZES.ticks) };

export const gridStyle = { color: GRID };

/** Splits a label into lines of at most `width` characters (words kept whole). */
export function wrapLabel(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && `${line} ${word}`.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Log axis bounds: the decade below the smallest value, and headroom above the largest for labels. */
export function logBounds(values: number[]): { min: number; max: number } {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  const low = Math.min(...positive);
  const high = Math.max(...positive);
  return { min: 10 ** Math.floor(Math.log10(low)), max: high * 2.2 };
}

/** Tick labels of a log axis: powers of ten only, so the labels never crowd. */
export function decadeTicks(format: (value: number) => string) {
  return (value: number | string) => {
    const v = Number(value);
    const exponent = Math.log10(v);
    return Math.abs(exponent - Math.round(exponent)) < 1e-9 ? format(v) : '';
  };
}

/** True when positive values span more than `factor` (log axis earns its place). */
export function spansOrders(values: number[], factor = 30): boolean {
  const positive = values.filter((v) => Number.isFinite(v));
  if (!positive.length || positive.some((v) => v <= 0)) return false;
  return Math.max(...positive) / Math.min(...positive) > factor;
}

/** The two compared methods, in the order every bar chart shows them. */
export const COMPARED_METHODS = ['lora', 'full'] as const;
export type ComparedMethod = (typeof COMPARED_METHODS)[number];

/** The shared look of every bar: no border, the same spacing within and between groups. */
export const BAR_STYLE = { borderWidth: 0, categoryPercentage: 0.7, barPercentage: 0.9 } as const;

/** One bar dataset per method, in the method's colour, with the shared bar spacing. */
export function methodBarDatasets<T extends number | null>(
  data: (method: ComparedMethod, index: number) => T[],
) {
  return COMPARED_METHODS.map((method, i) => ({
    label: METHOD_NAMES[method],
    data: data(method, i),
    backgroundColor: METHOD_COLORS[method],
    ...BAR_STYLE,
  }));
}

/** Padding around every bar chart. */
export const BAR_CHART_LAYOUT = { padding: { left: 8, right: 16, top: 4, bottom: 4 } };
