/**
 * What a staged comparison does when every run dispatched so far has ended: a pure function of
 * the plan and the runs, so it gives the same answer however often it is asked (a retried stage,
 * a parent job processed twice) and never adds a run twice.
 */
import { chooseCell } from '../analysis/arms';
import { type RunLike, summaryOf } from '../analysis/run-summary';
import type { Reply } from '../chat/replies';
import { combineStage } from './combine-plan';
import type { StepRates } from './estimate';
import { hybridGate, hybridVerdict } from './hybrid-plan';
import {
  type ComparisonPlan,
  extensionRate,
  firstRunsOf,
  isSwept,
  type PlannedRun,
  rateText,
  sweepsRates,
} from './plan';
import type { ComparisonRequest, Method } from './request';

export interface StageInput {
  /** The job's id, named in the outcomes posted. */
  id?: string;
  request: ComparisonRequest;
  plan: ComparisonPlan;
  runs: readonly RunLike[];
  /** Measured seconds per step per method on the request's model, for what a skipped stage saves. */
  rates?: StepRates;
}

export interface StageStep {
  /** What the stage that just ended found, posted to the conversation now. */
  outcome?: string;
  /** Runs of the next stage, to add to the job and dispatch; absent: the comparison ends. */
  next?: PlannedRun[];
  /** Posted with the results when the comparison ends. */
  verdict?: Reply;
}

const OPEN = new Set(['queued', 'running']);
/** Runs a stage adds, with one line per task and method saying why. */
type StageRuns = { runs: PlannedRun[]; lines: string[] };
const lr = rateText;

/**
 * The seeds after the first of each swept method, at the grid point chosen on the first seed; and
 * the first seed again, with the test set, when the sweep measured validation loss only.
 */
function replication(plan: ComparisonPlan, runs: readonly RunLike[], methods: readonly Method[]): StageRuns {
  const out: PlannedRun[] = [];
  const lines: string[] = [];
  for (const task of plan.tasks) {
    for (const method of methods.filter((m) => isSwept(plan, m))) {
      const sweep = runs.filter((r) => r.task === task && r.method === method && r.seed === plan.seeds[0]);
      const cell = chooseCell(sweep);
      const chosen = cell?.learningRate;
      const seeds = plan.testChosenOnly ? plan.seeds : plan.seeds.slice(1);
      const missing = seeds.filter(
        (seed) =>
          !runs.some((r) => r.task === task && r.method === method && r.seed === seed && r.testSet !== false),
      );
      if (!missing.length) continue;
      if (chosen === undefined) {
        lines.push(`- ${task} ${method}: no learning rate finished on seed 0, so it is not replicated.`);
        continue;
      }
      const again = plan.testChosenOnly && missing.includes(plan.seeds[0] as number);
      lines.push(
        `- ${task} ${method}: ${lr(chosen)}${rankText(cell?.rank)} chosen (validation loss, measured: ${triedText(sweep)})` +
          (again ? '; trained again on seed 0 with the test set' : ''),
      );
      for (const seed of missing)
        out.push({
          task,
          method,
          seed,
          learningRate: chosen,
          ...(cell?.rank !== undefined ? { rank: cell.rank } : {}),
        });
    }
  }
  return { runs: out, lines };
}

const rankText = (rank: number | null | undefined) => (typeof rank === 'number' ? ` rank ${rank}` : '');

/** What a method's first-seed runs measured, one "rate [rank] loss" entry per grid point. */
function triedText(sweep: readonly RunLike[]): string {
  return sweep
    .map((r) => ({ rate: r.learningRate, rank: r.loraRank, loss: summaryOf(r)?.final_eval_loss }))
    .sort((a, b) => a.rate - b.rate || (a.rank ?? 0) - (b.rank ?? 0))
    .map(
      (t) => `${lr(t.rate)}${rankText(t.rank)} ${typeof t.loss === 'number' ? t.loss.toFixed(3) : 'failed'}`,
    )
    .join(', ');
}

/**
 * The grid widened once: for each learning-rate-swept method whose best first-seed rate sits on
 * the planned grid's edge, one run a step beyond it, on the first seed at the chosen rank.
 */
function widening(plan: ComparisonPlan, runs: readonly RunLike[], methods: readonly Method[]): StageRuns {
  const out: PlannedRun[] = [];
  const lines: string[] = [];
  const seed = plan.seeds[0] ?? 0;
  for (const task of plan.tasks) {
    for (const method of methods.filter((m) => sweepsRates(plan, m))) {
      const grid = plan.learningRates[method] ?? [];
      const sweep = runs.filter((r) => r.task === task && r.method === method && r.seed === seed);
      if (sweep.some((r) => !grid.includes(r.learningRate))) continue; // widened already
      const cell = chooseCell(sweep);
      const beyond = cell && extensionRate(grid, cell.learningRate);
      if (!cell || beyond === undefined) continue;
      const side = beyond > cell.learningRate ? 'highest' : 'lowest';
      lines.push(
        `- ${task} ${method}: the best rate ${lr(cell.learningRate)}${rankText(cell.rank)} is the ${side} tried ` +
          `(validation loss, measured: ${triedText(sweep)}); trying ${lr(beyond)} once.`,
      );
      out.push({
        task,
        method,
        seed,
        learningRate: beyond,
        ...(cell.rank !== undefined ? { rank: cell.rank } : {}),
        ...(plan.testChosenOnly ? { testSet: false as const } : {}),
      });
    }
  }
  return { runs: out, lines };
}

/**
 * Stage 2 of the hybrid plan reuses stage 1's learning-rate range: each later method's grid moves
 * by the factor that the first method's chosen first-seed rate sits from the centre of its own
 * grid (geometric mean over tasks), so an optimum at the top of LoRA's grid starts full
 * fine-tuning's sweep higher too. Derived from the runs, so every call agrees.
 */
export function carriedGrids(
  plan: ComparisonPlan,
  runs: readonly RunLike[],
): { plan: ComparisonPlan; note?: string } {
  const [first, ...later] = plan.methods;
  if (plan.staging?.kind !== 'hybrid' || !first || !sweepsRates(plan, first)) return { plan };
  const grid = [...(plan.learningRates[first] ?? [])].sort((a, b) => a - b);
  const centre = grid[Math.floor(grid.length / 2)] as number;
  const logs = plan.tasks.flatMap((task) => {
    const sweep = runs.filter((r) => r.task === task && r.method === first && r.seed === plan.seeds[0]);
    const chosen = chooseCell(sweep)?.learningRate;
    return chosen === undefined ? [] : [Math.log(chosen / centre)];
  });
  if (!logs.length) return { plan };
  const factor = Math.exp(logs.reduce((a, b) => a + b, 0) / logs.length);
  const moved = later.filter((m) => sweepsRates(plan, m));
  if (Math.abs(Math.log(factor)) < 1e-6 || !moved.length) return { plan };
  const learningRates = { ...plan.learningRates };
  for (const m of moved)
    learningRates[m] = (plan.learningRates[m] ?? []).map((v) => Number((v * factor).toPrecision(2)));
  const times = Number(factor.toPrecision(2));
  const grids = moved
    .map(
      (m) =>
        `${m} ${(plan.learningRates[m] ?? []).map(rateText).join('/')} -> ${(learningRates[m] ?? []).map(rateText).join('/')}`,
    )
    .join('; ');
  return {
    plan: { ...plan, learningRates },
    note:
      `Stage 2 reuses stage 1's learning-rate range: ${first}'s chosen rate is ${times}x the centre of its grid ` +
      `(measured on seed 0), so the grid moves by the same factor: ${grids}.`,
  };
}

/** The next step of a staged comparison whose runs have all ended; `{}` when it simply ends. */
export function nextStage(input: StageInput): StageStep {
  const { runs } = input;
  const { plan, note: carried } = carriedGrids(input.plan, runs);
  const staging = plan.staging;
  if (!staging) return {};
  if (runs.some((r) => OPEN.has(r.state) || r.state === 'cancelled')) return {};
  if (staging.kind === 'combine') return combineStage(input.request, plan, runs, input.id);
  const groups: Method[][] = staging.kind === 'hybrid' ? plan.methods.map((m) => [m]) : [plan.methods];
  const notes: string[] = [];
  for (const [index, group] of groups.entries()) {
    if (!group.some((m) => runs.some((r) => r.method === m))) {
      const next = group.flatMap((m) => firstRunsOf(plan, m));
      const reuse = index > 0 && carried ? [carried] : [];
      return {
        outcome: [...notes, ...reuse, `Next: ${next.length} ${group.join(', ')} runs.`].join('\n'),
        next,
      };
    }
    const widened = widening(plan, runs, group);
    if (widened.runs.length)
      return {
        outcome: [
          ...notes,
          `Learning-rate sweep on seed 0 finished (${group.join(', ')}); the grid is widened once where its best rate sits on the edge:`,
          ...widened.lines,
        ].join('\n'),
        next: widened.runs,
      };
    const replicas = replication(plan, runs, group);
    if (replicas.runs.length) {
      const seeds = [...new Set(replicas.runs.map((r) => r.seed))].join(', ');
      return {
        outcome: [
          ...notes,
          `Learning-rate sweep on seed 0 finished (${group.join(', ')}):`,
          ...replicas.lines,
          `Next: the chosen learning rates on seed${seeds.includes(',') ? 's' : ''} ${seeds} (${replicas.runs.length} runs), paired across methods.`,
        ].join('\n'),
        next: replicas.runs,
      };
    }
    const later = groups[index + 1];
    if (staging.kind === 'hybrid' && later) {
      const gate = hybridGate(input, staging.target, group[0] as Method, later);
      if (gate.met) return { verdict: gate.reply };
      if (!later.some((m) => runs.some((r) => r.method === m))) notes.push(gate.reply.text);
    }
  }
  return staging.kind === 'hybrid' ? { verdict: hybridVerdict(input, staging.target) } : {};
}
