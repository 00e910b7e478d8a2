import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import canvas from 'canvas';

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, i) => png[i] === b)) throw new Error('not a PNG (bad signature)');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (String.fromCharCode(...png.slice(12, 16)) !== 'IHDR') throw new Error('not a PNG (no IHDR first)');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

async function pixels(png: Uint8Array): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  const image = await canvas.loadImage(Buffer.from(png));
  const surface = canvas.createCanvas(image.width, image.height);
  const context = surface.getContext('2d');
  context.drawImage(image, 0, 0);
  return {
    width: image.width,
    height: image.height,
    data: context.getImageData(0, 0, image.width, image.height).data,
  };
}

export interface PixelDiff {
  /** Share of pixels whose largest channel difference exceeds the per-channel threshold. */
  changedShare: number;
  changed: number;
}

/** Decodes both PNGs and counts the pixels that differ by more than `threshold` in any channel. */
export async function comparePixels(
  actual: Uint8Array,
  expected: Uint8Array,
  threshold = 48,
): Promise<PixelDiff> {
  const a = await pixels(actual);
  const b = await pixels(expected);
  if (a.width !== b.width || a.height !== b.height) return { changedShare: 1, changed: a.width * a.height };
  let changed = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    let worst = 0;
    for (let c = 0; c < 4; c++)
      worst = Math.max(worst, Math.abs((a.data[i + c] ?? 0) - (b.data[i + c] ?? 0)));
    if (worst > threshold) changed += 1;
  }
  return { changed, changedShare: changed / (a.width * a.height) };
}

/**
 * Compares a rendered PNG with its golden file; `UPDATE_GOLDEN=1` (or a missing golden) writes
 * the golden instead. Returns undefined when it wrote.
 */
export async function matchGolden(png: Uint8Array, goldenPath: string): Promise<PixelDiff | undefined> {
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) {
    mkdirSync(dirname(goldenPath), { recursive: true });
    writeFileSync(goldenPath, png);
    return undefined;
  }
  return comparePixels(png, await readFile(goldenPath));
}
