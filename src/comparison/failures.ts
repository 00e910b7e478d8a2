import { methodLabel } from './results-table';

/** How a run failed, as the worker reports it. */
export interface RunFailureInfo {
  kind: string;
  message: string;
  step?: number | null;
  batchSize?: number | null;
  exitCode?: number | null;
  signal?: string | null;
  stderrTail?: string[] | string | null;
  attempt?: number | null;
}

export function asFailure(value: unknown): RunFailureInfo | undefined {
  if (!value || typeof value !== 'object')
    return typeof value === 'string' ? { kind: 'crash', message: value } : undefined;
  const v = value as RunFailureInfo;
  return typeof v.message === 'string' ? v : undefined;
}

function lastLine(tail: RunFailureInfo['stderrTail']): string | undefined {
  const lines = Array.isArray(tail) ? tail : typeof tail === 'string' ? tail.split('\n') : [];
  return lines
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1);
}

/** A failure in plain words, with what to try next. */
export function explainFailure(method: string, failure: RunFailureInfo): string {
  const arm = methodLabel(method) === 'Full FT' ? 'full fine-tuning' : methodLabel(method);
  const where = failure.step ? ` at step ${failure.step}` : '';
  switch (failure.kind) {
    case 'oom': {
      const batch = failure.batchSize ?? undefined;
      const smaller =
        batch && batch > 1 ? `try batch_size=${Math.max(1, Math.floor(batch / 2))}` : 'try a smaller batch';
      return `Out of memory in ${arm}${where}${batch ? `, batch ${batch}` : ''}: ${smaller} or gradient checkpointing.`;
    }
    case 'bad_config':
    case 'bad_data':
    case 'unsupported':
      return `${arm} could not start: ${failure.message}`;
    case 'cancelled':
      return `${arm} was cancelled${where}.`;
    case 'lost':
      return `${arm} was lost: ${failure.message}.`;
    case 'disk_full':
      return `${arm} could not save its results: ${failure.message}. It was not retried (it would fail the same way); once space is freed, /faceoff retry runs it again.`;
    case 'storage':
      return `${arm}'s files could not be moved to or from storage: ${failure.message}.`;
    default: {
      const how = failure.signal
        ? `was killed by ${failure.signal}`
        : failure.exitCode != null
          ? `exited with code ${failure.exitCode}`
          : 'crashed';
      const detail = lastLine(failure.stderrTail) ?? failure.message;
      return `The ${arm} trainer ${how}${where}${detail ? `: ${detail}` : ''}.`;
    }
  }
}
