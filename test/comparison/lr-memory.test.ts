import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLearningRatePlanner } from '../../jobs/lr-grid';
import { measuredCentres, sweepOptima } from '../../src/comparison/lr-memory';
import { describePlan, planComparison } from '../../src/comparison/plan';
import { parseComparisonRequest } from '../../src/comparison/request';
import { createRepositories, type Database, openDatabase } from '../../src/persistence/index.js';
import { completedRun, runSummary } from '../analysis/run-builders';
import { type Backend, postgresBackend } from '../persistence/backends.js';

const request = (model: string) => {
  const r = parseComparisonRequest(
    [],
    new Map([
      ['task', 'customer_service'],
      ['model', model],
    ]),
  );
  assert.ok(r.ok);
  return r.value;
};
const run = (method: 'lora' | 'full', lr: number, loss: number) =>
  completedRun(
    runSummary({ task: 'customer_service', method, seed: 0, learning_rate: lr, final_eval_loss: loss }),
  );

describe('learning-rate defaults that scale', () => {
  const planner = createLearningRatePlanner();

  it('centres LoRA about 10x full for sizes without measurements, and says it is a rule of thumb', () => {
    const plan = planComparison(request('Qwen/Qwen2.5-1.5B-Instruct'), planner, ['customer_service']);
    const [lora, full] = [plan.learningRates.lora?.[1], plan.learningRates.full?.[1]];
    assert.ok(lora !== undefined && full !== undefined);
    assert.ok(Math.abs(lora / full - 10) < 1e-9, `${lora} / ${full}`);
    assert.equal(plan.lrSources?.lora?.source, 'rule_of_thumb');
    assert.match(
      describePlan(plan),
      /lora learning rates centred on a rule of thumb, not a measurement: .*10x/,
    );
    const tiny = planComparison(request('tiny'), planner, ['customer_service']);
    assert.equal(tiny.lrSources?.lora?.source, 'measured');
    const smol = planComparison(request('HuggingFaceTB/SmolLM2-135M-Instruct'), planner, [
      'customer_service',
    ]);
    assert.equal(smol.lrSources?.lora?.source, 'measured', 'the small bucket was measured on smollm2-135m');
  });

  it("centres later grids on the workspace's measured optimum", () => {
    const plan = planComparison(request('tiny'), planner, ['customer_service'], { measured: { lora: 0.05 } });
    assert.deepEqual(plan.learningRates.lora, [0.017, 0.05, 0.15]);
    assert.equal(plan.lrSources?.lora?.source, 'workspace');
    assert.notEqual(plan.lrSources?.full?.source, 'workspace');
  });

  it('takes the chosen rate per method from a finished sweep, with its edge flag', () => {
    const plan = planComparison(request('tiny'), planner, ['customer_service']);
    const runs = [
      run('lora', 0.0067, 1.2),
      run('lora', 0.02, 1.0),
      run('lora', 0.06, 0.9),
      run('full', 0.003, 0.5),
    ];
    assert.deepEqual(sweepOptima(plan, runs), [
      { method: 'lora', learningRate: 0.06, validationLoss: 0.9, atGridEdge: true },
    ]);
    assert.deepEqual(sweepOptima({ ...plan, lrTuned: false }, runs), []);
  });
});

const server = await postgresBackend();
describe('recorded optima per workspace and size bucket', {
  skip: 'skip' in server ? server.skip : false,
}, () => {
  let backend: Backend;
  let db: Database;
  before(async () => {
    if ('skip' in server) return;
    backend = server.backend;
    db = await openDatabase({ url: backend.url });
  });
  after(async () => {
    await db?.close();
    await backend?.cleanup();
  });

  it('keeps the latest measurement per bucket and method, scoped to the workspace', async () => {
    const repo = createRepositories(db.prisma).learningRates;
    const base = { teamId: 'slack:T1', bucket: 'tiny', model: 'tiny', atGridEdge: false, validationLoss: 1 };
    await repo.record({ ...base, method: 'lora', learningRate: 0.02, jobId: 'a' });
    await repo.record({ ...base, method: 'lora', learningRate: 0.06, jobId: 'b' });
    await repo.record({ ...base, method: 'full', learningRate: 0.003, jobId: 'b' });
    await repo.record({ ...base, teamId: 'slack:T2', method: 'lora', learningRate: 0.001, jobId: 'c' });
    const rows = await repo.forBucket('slack:T1', 'tiny');
    assert.deepEqual(measuredCentres(rows), { full: 0.003, lora: 0.06 });
    assert.deepEqual(await repo.forBucket('slack:T1', 'small'), []);
  });
});
