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

const finalValLoss = (run: RunLike): number | undefined => {
  const loss = summaryOf(run)?.final_eval_loss;
  return typeof loss === 'number' && Number.isFinite(loss) ? loss : undefined;
};

/**
 * The learning rate with the lowest mean validation loss over the seeds every tried rate
 * completed, so a rate replicated on more seeds (a staged comparison sweeps on one seed, then
 * replicates the winner) is compared with the others on the seeds they share; over all seeds
 * when the rates share none. Runs of one task and method.
 */
export function chooseLearningRate(runs: readonly RunLike[]): number | undefined {
  const done = runs.filter((r) => finalValLoss(r) !== undefined);
  const rates = [...new Set(done.map((r) => r.learningRate))];
  const seedsOf = (rate: number) => new Set(done.filter((r) => r.learningRate === rate).map((r) => r.seed));
  const shared = [...seedsOf(rates[0] ?? 0)].filter((seed) => rates.every((rate) => seedsOf(rate).has(seed)));
  const counted = shared.length ? done.filter((r) => shared.includes(r.seed)) : done;
  let best: { rate: number; loss: number } | undefined;
  for (const rate of rates.sort((a, b) => a - b)) {
    const loss = mean(counted.filter((r) => r.learningRate === rate).map((r) => finalValLoss(r) as number));
    if (loss !== undefined && (!best || loss < best.loss)) best = { rate, loss };
  }
  return best?.rate;
}

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
    const chosen = chooseLearningRate(group);
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
