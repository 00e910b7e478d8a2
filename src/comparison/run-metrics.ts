/**
 * What the core counts about training runs, for operators: state changes and durations. Recorded
 * where the database change takes effect, so a run is counted once however many processes listen.
 * The process that serves metrics implements it; without one nothing is recorded.
 */
export type RunTransition = 'started' | 'completed' | 'failed' | 'cancelled' | 'retried';

export interface RunMetrics {
  /** A run moved to this state (`retried`: it failed and goes back to the queue). */
  runTransition(transition: RunTransition, method: string): void;
  /** A run ended; `seconds` from its start to its end. */
  runDuration(method: string, outcome: 'completed' | 'failed', seconds: number): void;
}

export const NO_RUN_METRICS: RunMetrics = {
  runTransition: () => {},
  runDuration: () => {},
};
