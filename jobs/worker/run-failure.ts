/**
 * Why a training run failed, carried as the BullMQ error message (a JSON string) so the control
 * plane can tell users in plain words what happened and whether it was retried.
 */
import type { TrainerFailureKind } from '../trainer-process';

/** `storage`: the run's files could not be fetched from or stored in the bucket (retried). */
export type RunFailureKind = TrainerFailureKind | 'storage' | 'unknown';

export interface RunFailure {
  kind: RunFailureKind;
  /** Plain words, fit to show a user. */
  message: string;
  step: number | null;
  batchSize: number | null;
  exitCode: number | null;
  signal: string | null;
  stderrTail: string[];
  /** Which try this was (1 = first). */
  attempt: number | null;
}

/** Failures that will fail the same way again: the run is not retried. */
export const UNRECOVERABLE_KINDS: ReadonlySet<RunFailureKind> = new Set([
  'oom',
  'bad_config',
  'bad_data',
  'unsupported',
  // The same disk is as full on the next try; an operator frees space, then /faceoff retry.
  'disk_full',
]);

const STDERR_LINES_IN_MESSAGE = 20;

export function formatRunFailure(failure: RunFailure): string {
  const { kind, message, step, batchSize, exitCode, signal, attempt } = failure;
  const stderrTail = failure.stderrTail.slice(-STDERR_LINES_IN_MESSAGE).map((line) => line.slice(0, 500));
  return JSON.stringify({ kind, message, step, batchSize, exitCode, signal, stderrTail, attempt });
}

/** Reads a `failedReason` back; anything that is not our JSON becomes `{ kind: 'unknown', message: text }`. */
export function parseRunFailure(failedReason: string | null | undefined): RunFailure {
  const text = failedReason ?? '';
  const fallback: RunFailure = {
    kind: 'unknown',
    message: text.trim() || 'the run failed without a reason',
    step: null,
    batchSize: null,
    exitCode: null,
    signal: null,
    stderrTail: [],
    attempt: null,
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fallback;
  }
  if (typeof parsed !== 'object' || parsed === null) return fallback;
  const record = parsed as Record<string, unknown>;
  if (typeof record.kind !== 'string' || typeof record.message !== 'string') return fallback;
  return {
    kind: KNOWN_KINDS.has(record.kind) ? (record.kind as RunFailureKind) : 'unknown',
    message: record.message,
    step: numberOrNull(record.step),
    batchSize: numberOrNull(record.batchSize),
    exitCode: numberOrNull(record.exitCode),
    signal: typeof record.signal === 'string' ? record.signal : null,
    stderrTail: Array.isArray(record.stderrTail)
      ? record.stderrTail.filter((line): line is string => typeof line === 'string')
      : [],
    attempt: numberOrNull(record.attempt),
  };
}

const KNOWN_KINDS = new Set<string>([
  'oom',
  'bad_config',
  'bad_data',
  'cancelled',
  'unsupported',
  'disk_full',
  'crash',
  'storage',
  'unknown',
]);

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
