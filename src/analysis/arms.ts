import { type RunLike, type RunSummary, summaryOf, validationOnly } from './run-summary';

export interface TriedRate {
  learningRate: number;
  /** The LoRA rank of this cell of the sweep; undefined: not planned with a rank. */
  rank: number | undefined;
  /** Mean validation loss over the seeds that completed at this rate. */
  meanValLoss: number | undefined;
  /** Mean validation loss over the seeds every point completed: what the choice compared. */
  choiceValLoss?: number | undefined;
  completed: number;
}

/** One method on one task, at the learning rate chosen on the validation split. */
export interface Arm {
  task: string;
  method: string;
  chosenLr: number | undefined;
  /** The LoRA rank chosen with the learning rate (undefined: no rank sweep or rank given). */
  chosenRank: number | undefined;
  /** The chosen value is the lowest or highest tried: a better one may lie beyond the grid. */
  lrAtEdge: boolean;
  rankAtEdge: boolean;
  tried: TriedRate[];
  /** The seeds every tried point completed, which the choice compared them on (absent: all seeds). */
  choiceSeeds?: number[];
  /** Completed runs at the chosen rate, one per seed. */
  runs: RunSummary[];
  failed: number;
}

const mean = (values: number[]) =>
  values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;

const rankOf = (run: RunLike) => (typeof run.loraRank === 'number' ? run.loraRank : undefined);
const cellKey = (learningRate: number, rank: number | undefined) => `${learningRate}\u0000${rank ?? ''}`;
const onEdge = (values: number[], chosen: number | undefined) =>
  values.length > 1 && chosen !== undefined && (chosen === values[0] || chosen === values.at(-1));
const sortedUnique = (values: (number | undefined)[]) =>
  [...new Set(values.filter((v): v is number => v !== undefined))].sort((a, b) => a - b);

const finalValLoss = (run: RunLike): number | undefined => {
  const loss = summaryOf(run)?.final_eval_loss;
  return typeof loss === 'number' && Number.isFinite(loss) ? loss : undefined;
};

const seedKey = (run: RunLike) => `${cellKey(run.learningRate, rankOf(run))}\u0000${run.seed}`;

/**
 * One run per grid point and seed, for choosing: where a sweep point measured on the validation
 * split only was trained again on the same seed with the test set, the sweep's measurement decides
 * (training is seeded, so the two agree on a CPU; on a GPU they may differ in the last digits, and
 * a choice must not move after the point it chose was retrained). The retrained run still counts
 * as the seed's tested run in the arm.
 */
export function distinctRuns<T extends RunLike>(runs: readonly T[]): T[] {
  const swept = new Set(runs.filter((r) => validationOnly(r) && finalValLoss(r) !== undefined).map(seedKey));
  return runs.filter((r) => validationOnly(r) || !swept.has(seedKey(r)));
}

export interface GridCell {
  learningRate: number;
  rank: number | undefined;
}

/**
 * The grid point (learning rate, LoRA rank) with the lowest mean validation loss over the seeds
 * every tried point completed, so a point replicated on more seeds (a staged comparison sweeps on
 * one seed, then replicates the winner) is compared with the others on the seeds they share; over
 * all seeds when the points share none. Runs of one task and method.
 */
export function chooseCell(runs: readonly RunLike[]): GridCell | undefined {
  return choiceOf(runs).best;
}

/**
 * `chooseCell`'s basis: each point's mean validation loss over the seeds every point completed
 * (`seeds`; all seeds when they share none), and the point with the lowest.
 */
export function choiceOf(runs: readonly RunLike[]): {
  best: GridCell | undefined;
  seeds: number[] | undefined;
  losses: Map<string, number>;
} {
  const done = distinctRuns(runs).filter((r) => finalValLoss(r) !== undefined);
  const cells = new Map<string, GridCell>();
  for (const run of done)
    cells.set(cellKey(run.learningRate, rankOf(run)), { learningRate: run.learningRate, rank: rankOf(run) });
  const inCell = (r: RunLike, cell: GridCell) =>
    r.learningRate === cell.learningRate && rankOf(r) === cell.rank;
  const seedsOf = (cell: GridCell) => new Set(done.filter((r) => inCell(r, cell)).map((r) => r.seed));
  const all = [...cells.values()].sort(
    (a, b) => a.learningRate - b.learningRate || (a.rank ?? 0) - (b.rank ?? 0),
  );
  const first = all[0];
  const shared = first
    ? [...seedsOf(first)].filter((seed) => all.every((cell) => seedsOf(cell).has(seed)))
    : [];
  const counted = shared.length ? done.filter((r) => shared.includes(r.seed)) : done;
  let best: { cell: GridCell; loss: number } | undefined;
  const losses = new Map<string, number>();
  for (const cell of all) {
    const loss = mean(counted.filter((r) => inCell(r, cell)).map((r) => finalValLoss(r) as number));
    if (loss !== undefined) losses.set(cellKey(cell.learningRate, cell.rank), loss);
    if (loss !== undefined && (!best || loss < best.loss)) best = { cell, loss };
  }
  return { best: best?.cell, seeds: shared.length ? shared.sort((a, b) => a - b) : undefined, losses };
}

/** The learning rate of `chooseCell`. */
export function chooseLearningRate(runs: readonly RunLike[]): number | undefined {
  return chooseCell(runs)?.learningRate;
}

/**
 * Groups runs by task and method and picks each arm's (learning rate, LoRA rank) with
 * `chooseCell`; `tried` lists every point with its mean validation loss over its seeds.
 */
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
    const cells = new Map<string, { learningRate: number; rank: number | undefined }>();
    for (const run of group)
      cells.set(cellKey(run.learningRate, rankOf(run)), {
        learningRate: run.learningRate,
        rank: rankOf(run),
      });
    const inCell = (r: RunLike, cell: { learningRate: number; rank: number | undefined }) =>
      r.learningRate === cell.learningRate && rankOf(r) === cell.rank;
    const choice = choiceOf(group);
    const tried = [...cells.values()]
      .sort((a, b) => a.learningRate - b.learningRate || (a.rank ?? 0) - (b.rank ?? 0))
      .map((cell) => {
        const done = distinctRuns(group)
          .filter((r) => inCell(r, cell))
          .map(summaryOf)
          .filter(
            (s): s is RunSummary => !!s && s.final_eval_loss !== null && Number.isFinite(s.final_eval_loss),
          );
        return {
          ...cell,
          meanValLoss: mean(done.map((s) => s.final_eval_loss as number)),
          choiceValLoss: choice.losses.get(cellKey(cell.learningRate, cell.rank)),
          completed: done.length,
        };
      });
    const best = choice.best;
    arms.push({
      task: first.task,
      method: first.method,
      chosenLr: best?.learningRate,
      chosenRank: best?.rank,
      lrAtEdge: onEdge(sortedUnique(tried.map((t) => t.learningRate)), best?.learningRate),
      rankAtEdge: onEdge(sortedUnique(tried.map((t) => t.rank)), best?.rank),
      tried,
      ...(choice.seeds ? { choiceSeeds: choice.seeds } : {}),
      // the seeds at the chosen point with a test set (a sweep point's validation-only run has none)
      runs: best
        ? group
            .filter((r) => inCell(r, best) && !validationOnly(r))
            .map(summaryOf)
            .filter((s): s is RunSummary => !!s)
        : [],
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
