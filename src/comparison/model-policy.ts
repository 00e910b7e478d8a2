/**
 * Which models `model=` may name, decided before anything is queued (and again by the worker):
 * the built-in names, Hugging Face ids the operator allows, and model directories under the
 * operator's model roots. Missing and forbidden get the same answer, so the reply says nothing
 * about what exists on a worker.
 */
import type { Result } from '../parsing/result';

export type ModelLocation =
  | { kind: 'builtin'; name: string }
  | { kind: 'hub'; id: string }
  /** `path` is the real path (links resolved), what the trainer is given. */
  | { kind: 'local'; path: string };

export interface ModelPolicy {
  locate(model: string): Promise<Result<ModelLocation>>;
}
