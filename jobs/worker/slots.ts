/**
 * Where training runs may execute on this machine: GPU slots (one per GPU index) or one CPU slot.
 * A run leases `max(1, config.gpus || 1)` GPUs (or the CPU slot) and sees only those through
 * CUDA_VISIBLE_DEVICES.
 */
import { execFile } from 'node:child_process';

export type SlotLayout = { kind: 'gpu'; gpus: number[] } | { kind: 'cpu'; count: number };

export interface DetectSlotsOptions {
  env?: Record<string, string | undefined>;
  /** The nvidia-smi executable (default `nvidia-smi` on PATH). */
  nvidiaSmi?: string;
  timeoutMs?: number;
}

/** FACEOFF_GPU_SLOTS (a count like `4`, or indexes like `0,2`; `0` = CPU), else `nvidia-smi -L`, else 1 CPU slot. */
export async function detectSlots(options: DetectSlotsOptions = {}): Promise<SlotLayout> {
  const configured = (options.env ?? process.env).FACEOFF_GPU_SLOTS?.trim();
  if (configured) return parseGpuSlots(configured);
  const count = await countNvidiaGpus(options.nvidiaSmi ?? 'nvidia-smi', options.timeoutMs ?? 10_000);
  return count > 0 ? { kind: 'gpu', gpus: range(count) } : { kind: 'cpu', count: 1 };
}

export function parseGpuSlots(value: string): SlotLayout {
  if (/^\d+$/.test(value)) {
    const count = Number(value);
    return count > 0 ? { kind: 'gpu', gpus: range(count) } : { kind: 'cpu', count: 1 };
  }
  const indexes = value.split(',').map((part) => part.trim());
  if (indexes.length > 0 && indexes.every((part) => /^\d+$/.test(part))) {
    return { kind: 'gpu', gpus: [...new Set(indexes.map(Number))] };
  }
  throw new Error(`FACEOFF_GPU_SLOTS must be a GPU count (e.g. 4) or GPU indexes (e.g. 0,2), got "${value}"`);
}

function countNvidiaGpus(nvidiaSmi: string, timeout: number): Promise<number> {
  return new Promise((resolve) => {
    execFile(nvidiaSmi, ['-L'], { timeout }, (error, stdout) => {
      if (error) return resolve(0);
      resolve(stdout.split('\n').filter((line) => /^GPU \d+/.test(line.trim())).length);
    });
  });
}

export function describeSlots(layout: SlotLayout): string {
  if (layout.kind === 'cpu') return `${layout.count} CPU slot${layout.count === 1 ? '' : 's'} (no GPU found)`;
  return `${layout.gpus.length} GPU slot${layout.gpus.length === 1 ? '' : 's'} (GPU ${layout.gpus.join(', ')})`;
}

export interface SlotLease {
  /** GPU indexes held (empty on CPU). */
  gpus: number[];
  /** Environment for the trainer: CUDA_VISIBLE_DEVICES set to the leased GPUs ("" on CPU). */
  env: { CUDA_VISIBLE_DEVICES: string };
  release(): void;
}

interface Waiter {
  count: number;
  resolve: (lease: SlotLease) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class SlotPool {
  readonly layout: SlotLayout;
  private readonly free: number[];
  private cpuFree: number;
  private readonly waiters: Waiter[] = [];

  constructor(layout: SlotLayout) {
    this.layout = layout;
    this.free = layout.kind === 'gpu' ? [...layout.gpus] : [];
    this.cpuFree = layout.kind === 'cpu' ? layout.count : 0;
  }

  /** How many runs fit side by side when each takes one slot. */
  get size(): number {
    return this.layout.kind === 'gpu' ? this.layout.gpus.length : this.layout.count;
  }

  get available(): number {
    return this.layout.kind === 'gpu' ? this.free.length : this.cpuFree;
  }

  /** Slots a run with `gpus` configured needs here: its GPU count on a GPU machine, 1 on CPU. */
  slotsFor(gpus: number | undefined): number {
    return this.layout.kind === 'gpu' ? Math.max(1, gpus || 1) : 1;
  }

  /** Waits (first come, first served) until `count` slots are free; rejects if it can never fit or on abort. */
  acquire(count: number, signal?: AbortSignal): Promise<SlotLease> {
    if (count > this.size) {
      return Promise.reject(new Error(`the run needs ${count} GPUs but this worker has ${this.size}`));
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.waiters.length === 0 && this.available >= count) return Promise.resolve(this.take(count));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { count, resolve, reject, signal, onAbort: () => {} };
      waiter.onAbort = () => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(signal?.reason);
        this.grant();
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private take(count: number): SlotLease {
    let released = false;
    if (this.layout.kind === 'cpu') {
      this.cpuFree -= count;
      return {
        gpus: [],
        env: { CUDA_VISIBLE_DEVICES: '' },
        release: () => {
          if (released) return;
          released = true;
          this.cpuFree += count;
          this.grant();
        },
      };
    }
    const gpus = this.free.splice(0, count);
    return {
      gpus,
      env: { CUDA_VISIBLE_DEVICES: gpus.join(',') },
      release: () => {
        if (released) return;
        released = true;
        this.free.push(...gpus);
        this.free.sort((a, b) => a - b);
        this.grant();
      },
    };
  }

  private grant(): void {
    while (this.waiters.length > 0) {
      const next = this.waiters[0] as Waiter;
      if (this.available < next.count) return;
      this.waiters.shift();
      next.signal?.removeEventListener('abort', next.onAbort);
      next.resolve(this.take(next.count));
    }
  }
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}
