import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatBytes } from '../../src/format/units';
import { type BenchRow, ratio } from './measure';

interface TrainerBenchRow {
  loop: 'faceoff' | 'hf_trainer';
  method: 'lora' | 'full';
  tokens_per_s: number;
  peak_rss_bytes: number;
  train_loss_last_window: number;
}

/**
 * The trainer's own bench (jobs/trainer/bench.py): our training loop next to a plain transformers
 * Trainer (+ PEFT) on the same tiny model, data, batch, steps and learning rate, in the same run.
 */
export async function benchTrainer(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-bench-trainer-'));
  try {
    const out = join(dir, 'trainer.json');
    const run = spawnSync(process.env.FACEOFF_PYTHON ?? 'python3', ['jobs/trainer/bench.py', '--out', out], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, HF_HUB_OFFLINE: '1' },
    });
    if (run.status !== 0) throw new Error(`jobs/trainer/bench.py exited with ${run.status}`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { rows: TrainerBenchRow[]; steps: number };
    const find = (loop: string, method: string) =>
      report.rows.find((r) => r.loop === loop && r.method === method);
    return (['lora', 'full'] as const).flatMap((method) => {
      const ours = find('faceoff', method);
      const hf = find('hf_trainer', method);
      if (!ours || !hf) return [];
      const label = method === 'lora' ? 'LoRA' : 'full fine-tuning';
      return [
        {
          section: 'trainer',
          measure: `${label}: training tokens/s, tiny model, ${report.steps} steps (train loss last window ${ours.train_loss_last_window.toFixed(3)})`,
          value: `${ours.tokens_per_s.toFixed(0)} tok/s`,
          baseline: `HF Trainer${method === 'lora' ? ' + PEFT' : ''} ${hf.tokens_per_s.toFixed(0)} tok/s (loss ${hf.train_loss_last_window.toFixed(3)})`,
          ratio: ratio(ours.tokens_per_s, hf.tokens_per_s),
        },
        {
          section: 'trainer',
          measure: `${label}: peak memory (process RSS, CPU)`,
          value: formatBytes(ours.peak_rss_bytes),
          baseline: `HF Trainer ${formatBytes(hf.peak_rss_bytes)}`,
          ratio: ratio(ours.peak_rss_bytes, hf.peak_rss_bytes),
        },
      ];
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
