/**
 * Okabe-Ito colours (safe for the common forms of colour blindness). Each method keeps ONE colour
 * in every chart, named by its `chart_color` in framework.json: LoRA blue, full fine-tuning
 * vermillion, QLoRA bluish green.
 */
import { type CoreMethod, METHOD_SHORT_LABELS, METHOD_SPECS, type Method } from '../tasks/methods';

export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

/** The methods every chart draws side by side. */
export type ChartMethod = CoreMethod;

/**
 * Each method's colour from its Okabe-Ito name; throws for a name outside the palette or a colour
 * two methods share, so a new method cannot reach a chart without a colour of its own.
 */
export function resolveMethodColors(
  methods: readonly { id: string; chartColor: string }[],
): Record<string, string> {
  const owner = new Map<string, string>();
  return Object.fromEntries(
    methods.map(({ id, chartColor }) => {
      if (!Object.hasOwn(OKABE_ITO, chartColor)) {
        throw new Error(
          `framework.json: method "${id}" has chart_color "${chartColor}"; expected an Okabe-Ito colour: ${Object.keys(OKABE_ITO).join(', ')}`,
        );
      }
      const other = owner.get(chartColor);
      if (other) {
        throw new Error(
          `framework.json: methods "${other}" and "${id}" share chart_color "${chartColor}"; each method needs its own`,
        );
      }
      owner.set(chartColor, id);
      return [id, OKABE_ITO[chartColor as keyof typeof OKABE_ITO]];
    }),
  );
}

export const METHOD_COLORS = resolveMethodColors(Object.values(METHOD_SPECS)) as Readonly<
  Record<Method, string>
>;

export const METHOD_NAMES: Readonly<Record<Method, string>> = METHOD_SHORT_LABELS;

/** `#RRGGBB` with an alpha channel, for bands and fills. */
export function withAlpha(hex: string, alpha: number): string {
  const value = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}

export const INK = '#222222';
export const GRID = '#d9d9d9';
