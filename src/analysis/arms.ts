import { type RunLike, type RunSummary, summaryOf } from './run-summary';

export interface TriedRate {
  learningRate: number;
  /** Mean validation loss over the seeds that completed at this rate. */
  meanValLoss: number | undefined;
  completed: number;
}

/** One method on one task, at the learning rate chosen on the validation split. */
export interface Arm {
  task: string;
  method: string;
  chosenLr: number | undefined;
  tried: TriedRate[];
  /** Completed runs at the chosen rate, one per seed. */
  runs: RunSummary[];
  failed: number;
}

const mean = (values: number[]) =>
  values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;

/** Groups runs by task and method and picks each arm's learning rate by mean validation loss. */
export function selectArms(runs: RunLike[]): Arm[] {
  const groups = new Map<string, RunLike[]>();
  for (const run of runs) {
    const key = `${run.task}\u0000${run.method}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const arms: Arm[] = [];
  for (const group of groups.values()) {
    const first = group[0];
    if (!first) continue;
    const rates = [...new Set(group.map((r) => r.learningRate))].sort((a, b) => a - b);
    const tried = rates.map((learningRate) => {
      const done = group
        .filter((r) => r.learningRate === learningRate)
        .map(summaryOf)
        .filter(
          (s): s is RunSummary => !!s && s.final_eval_loss !== null && Number.isFinite(s.final_eval_loss),
        );
      return {
        learningRate,
        meanValLoss: mean(done.map((s) => s.final_eval_loss as number)),
        completed: done.length,
      };
    });
    const best = tried
      .filter((t) => t.meanValLoss !== undefined)
      .sort((a, b) => (a.meanValLoss as number) - (b.meanValLoss as number))[0];
    const chosen = best?.learningRate;
    arms.push({
      task: first.task,
      method: first.method,
      chosenLr: chosen,
      tried,
      runs: group
        .filter((r) => r.learningRate === chosen)
        .map(summaryOf)
        .filter((s): s is RunSummary => !!s),
      failed: group.filter((r) => r.state === 'failed').length,
    });
  }
  return arms;
}

export function meanOf(
  runs: RunSummary[],
  pick: (s: RunSummary) => number | null | undefined,
): number | undefined {
  return mean(runs.map(pick).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
}
