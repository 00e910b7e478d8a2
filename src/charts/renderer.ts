import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import canvas from 'canvas';
import type { ChartConfiguration } from 'chart.js';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { ImageAttachment } from '../chat/replies';
import type { ChartSpec } from './chart-spec';
import { INK } from './palette';
import { type ChartSize, FONT_FAMILY } from './theme';

const FONT_DIR = fileURLToPath(new URL('./fonts/', import.meta.url));

let fontsRegistered = false;

/** Registers the shipped DejaVu Sans once, before the first canvas exists (node-canvas requires it). */
export function registerChartFonts(): void {
  if (fontsRegistered) return;
  canvas.registerFont(join(FONT_DIR, 'DejaVuSans.ttf'), { family: FONT_FAMILY });
  canvas.registerFont(join(FONT_DIR, 'DejaVuSans-Bold.ttf'), { family: FONT_FAMILY, weight: 'bold' });
  fontsRegistered = true;
}

/** Copies plain objects and arrays (chart.js annotates data arrays while a chart lives); keeps functions and plugins. */
export function cloneConfig<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneConfig) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneConfig(v)])) as T;
  }
  return value;
}

/**
 * The one owner of chartjs-node-canvas: one ChartJSNodeCanvas per image size, reused for every
 * chart of that size, white background, the shipped font as chart.js's default.
 */
export class ChartRenderer {
  private readonly canvases = new Map<string, ChartJSNodeCanvas>();

  private canvasFor(size: ChartSize): ChartJSNodeCanvas {
    const key = `${size.width}x${size.height}`;
    let instance = this.canvases.get(key);
    if (!instance) {
      registerChartFonts();
      instance = new ChartJSNodeCanvas({
        width: size.width,
        height: size.height,
        backgroundColour: 'white',
        chartCallback: (chart) => {
          chart.defaults.font.family = FONT_FAMILY;
          chart.defaults.color = INK;
        },
      });
      this.canvases.set(key, instance);
    }
    return instance;
  }

  /** Sizes with a live canvas instance (for tests and the bench). */
  get sizes(): string[] {
    return [...this.canvases.keys()];
  }

  private attachment(spec: ChartSpec, png: Buffer): ImageAttachment {
    return {
      filename: spec.filename,
      png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength),
      altText: spec.altText,
      title: spec.title,
    };
  }

  /** Renders off the event loop where node-canvas allows (PNG encoding). */
  async render(spec: ChartSpec): Promise<ImageAttachment> {
    const png = await this.canvasFor(spec.size).renderToBuffer(
      cloneConfig(spec.config) as ChartConfiguration as never,
      'image/png',
    );
    return this.attachment(spec, png);
  }

  /** Synchronous variant for callers that cannot await (a synchronous reply builder). */
  renderSync(spec: ChartSpec): ImageAttachment {
    const png = this.canvasFor(spec.size).renderToBufferSync(cloneConfig(spec.config) as never, 'image/png');
    return this.attachment(spec, png);
  }
}

/** The process-wide renderer: canvases are created on first use. */
export const chartRenderer = new ChartRenderer();
