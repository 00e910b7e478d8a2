/**
 * What a staged comparison does when every run dispatched so far has ended: a pure function of
 * the plan and the runs, so it gives the same answer however often it is asked (a retried stage,
 * a parent job processed twice) and never adds a run twice.
 */
import { chooseCell } from '../analysis/arms';
import { type RunLike, summaryOf } from '../analysis/run-summary';
import type { Reply } from '../chat/replies';
import type { StepRates } from './estimate';
import { hybridGate, hybridVerdict } from './hybrid-plan';
import { type ComparisonPlan, firstRunsOf, isSwept, type PlannedRun } from './plan';
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
const lr = (value: number) => value.toExponential(0);

/** The seeds after the first of each swept method, at the grid point chosen on the first seed. */
function replication(
  plan: ComparisonPlan,
  runs: readonly RunLike[],
  methods: readonly Method[],
): { runs: PlannedRun[]; lines: string[] } {
  const out: PlannedRun[] = [];
  const lines: string[] = [];
  for (const task of plan.tasks) {
    for (const method of methods.filter((m) => isSwept(plan, m))) {
      const sweep = runs.filter((r) => r.task === task && r.method === method && r.seed === plan.seeds[0]);
      const cell = chooseCell(sweep);
      const chosen = cell?.learningRate;
      const missing = plan.seeds
        .slice(1)
        .filter((seed) => !runs.some((r) => r.task === task && r.method === method && r.seed === seed));
      if (!missing.length) continue;
      if (chosen === undefined) {
        lines.push(`- ${task} ${method}: no learning rate finished on seed 0, so it is not replicated.`);
        continue;
      }
      const rankText = (rank: number | null | undefined) => (typeof rank === 'number' ? ` rank ${rank}` : '');
      const tried = sweep
        .map((r) => ({ rate: r.learningRate, rank: r.loraRank, loss: summaryOf(r)?.final_eval_loss }))
        .sort((a, b) => a.rate - b.rate || (a.rank ?? 0) - (b.rank ?? 0))
        .map(
          (t) =>
            `${lr(t.rate)}${rankText(t.rank)} ${typeof t.loss === 'number' ? t.loss.toFixed(3) : 'failed'}`,
        );
      lines.push(
        `- ${task} ${method}: ${lr(chosen)}${rankText(cell?.rank)} chosen (validation loss, measured: ${tried.join(', ')})`,
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

/** The next step of a staged comparison whose runs have all ended; `{}` when it simply ends. */
export function nextStage(input: StageInput): StageStep {
  const { plan, runs } = input;
  const staging = plan.staging;
  if (!staging) return {};
  if (runs.some((r) => OPEN.has(r.state) || r.state === 'cancelled')) return {};
  const groups: Method[][] = staging.kind === 'hybrid' ? plan.methods.map((m) => [m]) : [plan.methods];
  const notes: string[] = [];
  for (const [index, group] of groups.entries()) {
    if (!group.some((m) => runs.some((r) => r.method === m))) {
      const next = group.flatMap((m) => firstRunsOf(plan, m));
      return { outcome: [...notes, `Next: ${next.length} ${group.join(', ')} runs.`].join('\n'), next };
    }
    const replicas = replication(plan, runs, group);
    if (replicas.runs.length) {
      const seeds = [...new Set(replicas.runs.map((r) => r.seed))].join(', ');
      return {
        outcome: [
          ...notes,
          `Learning-rate sweep on seed 0 finished (${group.join(', ')}):`,
          ...replicas.lines,
          `Next: the chosen learning rates on seeds ${seeds} (${replicas.runs.length} runs), paired across methods.`,
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
