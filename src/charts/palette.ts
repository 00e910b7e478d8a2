/**
 * Okabe-Ito colours (safe for the common forms of colour blindness). Each method keeps ONE colour
 * in every chart: LoRA blue, full fine-tuning vermillion, QLoRA bluish green.
 */
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

export type ChartMethod = 'lora' | 'full' | 'qlora';

export const METHOD_COLORS: Record<ChartMethod, string> = {
  lora: OKABE_ITO.blue,
  full: OKABE_ITO.vermillion,
  qlora: OKABE_ITO.bluishGreen,
};

export const METHOD_NAMES: Record<ChartMethod, string> = { lora: 'LoRA', full: 'Full FT', qlora: 'QLoRA' };

/** `#RRGGBB` with an alpha channel, for bands and fills. */
export function withAlpha(hex: string, alpha: number): string {
  const value = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}

export const INK = '#222222';
export const GRID = '#d9d9d9';
