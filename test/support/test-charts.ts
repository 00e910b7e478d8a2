/**
 * Charts for stack tests: small real PNGs instead of chart.js renders, so chat tests stay fast
 * (rendering itself is tested with the chart code in test/charts).
 */
import { createCanvas } from 'canvas';
import type { ReplyCharts } from '../../src/charts/reply-charts';
import type { ImageAttachment } from '../../src/chat/replies';

/** A small real PNG, standing in for a rendered chart. */
export function chartPng(label: string): Uint8Array {
  const canvas = createCanvas(160, 80);
  const g = canvas.getContext('2d');
  g.fillStyle = '#5865f2';
  g.fillRect(10, 20, 60, 50);
  g.fillStyle = '#ed4245';
  g.fillRect(90, 40, 60, 30);
  g.fillText(label, 10, 12);
  return new Uint8Array(canvas.toBuffer('image/png'));
}

const image = (filename: string, title: string, altText: string): ImageAttachment => ({
  filename,
  png: chartPng(title),
  altText,
  title,
});

export const testCharts: ReplyCharts = {
  decision: async () =>
    image('decision-scores.png', 'Weighted scores', 'LoRA and full fine-tuning scores by criterion'),
  comparison: async ({ jobId }) => [
    image(`${jobId}-loss.png`, 'Loss curves', 'Validation loss by step, LoRA and full'),
    image(`${jobId}-cost.png`, 'Cost', 'Cost per method'),
  ],
  cost: async () => image('cost.png', 'Cost', 'Training, monthly and first-year cost per method'),
  scaling: async (analysis) => [
    image('scaling-gap.png', 'Scaling', `Gap by model size, ${analysis.rows.length} rows`),
  ],
  combination: async (analysis) => [
    image('combination.png', 'Combination', `Scores of ${analysis.rows.length} variants`),
  ],
};
