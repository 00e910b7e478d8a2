/**
 * The largest replies Faceoff sends, for checking them against the platforms' limits: the results
 * of `compare task=all` with five seeds and every optional section (learning-rate sweep, failed
 * runs, charts, the suite summary and the decision section), and a command of 3,000 characters.
 *
 * The numbers come from the recorded trainer runs in test/fixtures/runs, which cover two tasks and
 * two or three seeds: each of the framework's five tasks takes the recorded runs of the recorded
 * task of the same kind (customer service or data analysis), and seeds past the recorded ones
 * repeat them in turn. The replies are as long as a real five-seed, five-task job's; the values
 * are recorded ones, re-labelled, and are only used for their size.
 */
import type { RunLike } from '../../src/analysis/run-summary';
import type { Reply } from '../../src/chat/replies';
import { resultsReply } from '../../src/comparison/results-reply';
import { FRAMEWORK } from '../../src/tasks/framework';
import { loadFixtureRuns } from '../fixtures/runs/load';
import { testCharts } from './test-charts';

export const WORST_SEEDS = 5;
export const LONG_COMMAND = `compare task=customer_service model=${'m'.repeat(3000)}`;

/** Which recorded task stands in for each framework task. */
const RECORDED_TASK: Record<string, string> = {
  customer_service: 'customer_service',
  code_generation: 'data_analysis',
  creative_writing: 'customer_service',
  data_analysis: 'data_analysis',
  technical_documentation: 'customer_service',
};

/** A failure as long as a trainer's own error line can get (a bad model name echoed back). */
const LONG_FAILURE = {
  kind: 'bad_config',
  message: `model ${'m'.repeat(3000)} is not a known model: give a Hugging Face id or a local path`,
};

export function allTasksRuns(seeds = WORST_SEEDS): RunLike[] {
  const recorded = loadFixtureRuns();
  const runs: RunLike[] = [];
  for (const task of FRAMEWORK.tasks.map((t) => t.id)) {
    const source = recorded.filter((r) => r.task === (RECORDED_TASK[task] ?? 'customer_service'));
    const recordedSeeds = [...new Set(source.map((r) => r.seed))].sort();
    for (let seed = 0; seed < seeds; seed++) {
      const from = recordedSeeds[seed % recordedSeeds.length];
      for (const run of source.filter((r) => r.seed === from)) {
        const id = `${task}-${run.method}-seed${seed}-lr${run.learningRate}`;
        const summary = { ...(run.summary as object), run_id: id, task, seed } as RunLike['summary'];
        runs.push({ ...run, id, task, seed, summary });
      }
    }
  }
  runs.push({
    id: 'technical_documentation-qlora-seed0',
    task: 'technical_documentation',
    method: 'qlora',
    seed: 0,
    learningRate: 0.003,
    state: 'failed',
    summary: null,
    error: LONG_FAILURE,
  } as RunLike);
  return runs;
}

/** `/faceoff results` of a finished `compare task=all seeds=5` with charts and every optional section. */
export async function worstResults(jobId = 'cmp-worst01'): Promise<Reply[]> {
  const runs = allTasksRuns();
  const tasks = FRAMEWORK.tasks.map((t) => t.id);
  const plan = { tasks, methods: ['lora', 'full', 'qlora'], seeds: [0, 1, 2, 3, 4], lrTuned: true, runs: [] };
  return resultsReply({ id: jobId, state: 'completed', plan, runs }, testCharts);
}

/** Every questionnaire answer in turn, as typed, ending in a recommendation. */
export const EVERY_ANSWER: readonly string[] = [
  'about $5k',
  '2 weeks',
  'yes',
  'nope',
  'yes',
  '3',
  'weekly',
  'customer support',
  'just me',
  '7B',
  'no',
];
