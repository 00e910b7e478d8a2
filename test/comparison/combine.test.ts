import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CancellationRegistry } from '../../jobs/cancellation';
import { BullComparisonDispatcher } from '../../jobs/dispatcher';
import { redisConnectionOptions } from '../../jobs/redis-connection';
import { isCombineConfig, parseRunConfig, parseTrainerLine } from '../../jobs/trainer-protocol';
import { analyzeCombination, combinationTable } from '../../src/analysis/combination';
import type { RunLike } from '../../src/analysis/run-summary';
import { variantOf } from '../../src/comparison/combinations';
import { planCombine } from '../../src/comparison/combine-plan';
import type { LearningRatePlanner } from '../../src/comparison/plan';
import { allPlannedRuns } from '../../src/comparison/plan';
import { dispatchRun } from '../../src/comparison/ports';
import { parseCombineRequest } from '../../src/comparison/request';
import { nextStage } from '../../src/comparison/stages';
import { TEST_REDIS_URL } from '../support/test-services';

const parse = (pairs: Record<string, string>) =>
  parseCombineRequest([], new Map(Object.entries({ task: 'customer_service', model: 'tiny', ...pairs })));

const planner: LearningRatePlanner = {
  bucket: () => 'tiny',
  grid: (_model, method) => ({
    values: [method === 'lora' ? 0.003 : 0.001],
    default: method === 'lora' ? 0.003 : 0.001,
    source: 'measured',
  }),
};

const request = () => {
  const parsed = parse({ seeds: '2', combinations: 'linear,cat' });
  assert.ok(parsed.ok);
  return parsed.value;
};

describe('combine: parsing', () => {
  it('reads the task skills, seeds, steps and combinations, with no learning-rate sweep', () => {
    const parsed = parse({ seeds: '2', max_steps: '3', combinations: 'linear,cat' });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value.combine, {
      skills: ['tone', 'knowledge', 'troubleshooting'],
      combinations: ['linear', 'cat'],
    });
    assert.equal(parsed.value.maxSteps, 3);
    assert.equal(parsed.value.lrSweep, false);
    assert.deepEqual(parsed.value.methods, ['lora', 'full']);
    const defaults = parse({});
    assert.ok(defaults.ok);
    assert.equal(defaults.value.seeds, 3);
    assert.deepEqual(defaults.value.combine.combinations, ['linear', 'ties', 'cat']);
  });

  it('takes 2 to 6 dataset ids, one skill each', () => {
    const parsed = parse({ task: 'ds-a1,ds-b2' });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value.combine.skills, ['ds-a1', 'ds-b2']);
    assert.deepEqual(parsed.value.task, {
      kind: 'dataset',
      datasetId: 'ds-a1',
      datasetIds: ['ds-a1', 'ds-b2'],
    });
  });

  const refused: [Record<string, string>, RegExp][] = [
    [{ task: 'code_generation' }, /^task: "code_generation" has no skill training sets/m],
    [{ task: 'ds-a1' }, /^task: 1 dataset given; combine takes 2 to 6/m],
    [{ task: 'ds-a,ds-b,ds-c,ds-d,ds-e,ds-f,ds-g' }, /^task: 7 datasets given; combine takes 2 to 6/m],
    [{ task: 'ds-a,ds-a' }, /^task: "ds-a" is named twice/m],
    [{ task: 'ds-a,nope' }, /^task: "nope" is not a dataset id/m],
    [{ seeds: '1' }, /^seeds: "1" is not accepted; expected a whole number from 2 to 5/m],
    [{ combinations: 'linear,svd' }, /^combinations: /m],
    [{ combinations: 'linear,linear' }, /^combinations: a value is listed twice/m],
    [{ max_steps: '0' }, /^max_steps: /m],
    [{ model: 'tiny,tiny-s' }, /^model: combine takes one model/m],
  ];
  for (const [pairs, message] of refused)
    it(`refuses ${JSON.stringify(pairs)} naming the option`, () => {
      const parsed = parse(pairs);
      assert.ok(!parsed.ok);
      assert.match(parsed.error, message);
    });
});

describe('combine: plan', () => {
  it('stage 1 has k skill runs and two multi-task runs per seed; stage 2 one run per seed and combination', () => {
    const plan = planCombine(request(), planner);
    assert.equal(plan.runs.length, 10);
    assert.equal(plan.upcoming?.length, 4);
    assert.equal(allPlannedRuns(plan).length, 14);
    assert.deepEqual(plan.staging, { kind: 'combine' });
    assert.deepEqual(
      plan.runs.filter((r) => r.seed === 0).map((r) => `${r.task} ${r.method} ${r.learningRate}`),
      [
        'customer_service/skill:tone lora 0.003',
        'customer_service/skill:knowledge lora 0.003',
        'customer_service/skill:troubleshooting lora 0.003',
        'customer_service/skill:all lora 0.003',
        'customer_service/skill:all full 0.001',
      ],
    );
    assert.deepEqual(
      plan.upcoming?.map((r) => `${r.task} ${r.method} ${r.seed}`),
      [
        'customer_service/combine:linear lora 0',
        'customer_service/combine:cat lora 0',
        'customer_service/combine:linear lora 1',
        'customer_service/combine:cat lora 1',
      ],
    );
    assert.deepEqual(variantOf('customer_service/combine:cat'), {
      kind: 'combination',
      base: 'customer_service',
      combination: 'cat',
    });
    assert.equal(variantOf('customer_service'), undefined);
  });
});

let id = 0;
const run = (task: string, method: string, seed: number, state = 'completed', summary: unknown = null) =>
  ({
    id: `r${++id}`,
    task,
    method,
    seed,
    learningRate: 0.003,
    state,
    summary,
    error: null,
    artifactPath: `/artifacts/job/r${id}`,
  }) as RunLike & { artifactPath: string };

describe('combine: stages', () => {
  const req = request();
  const plan = planCombine(req, planner);
  const stage1 = (state: (task: string, seed: number) => string) =>
    plan.runs.map((r) => run(r.task, r.method, r.seed, state(r.task, r.seed)));

  it('adds the combination runs of every seed once stage 1 has ended, and only once', () => {
    const runs = stage1(() => 'completed');
    const step = nextStage({ id: 'j1', request: req, plan, runs });
    assert.equal(step.next?.length, 4);
    assert.match(
      step.outcome ?? '',
      /Next: 4 combination runs \(linear, cat\) of the skill adapters of seeds 0, 1/,
    );
    const later = [...runs, ...(step.next ?? []).map((r) => run(r.task, r.method, r.seed))];
    assert.deepEqual(nextStage({ id: 'j1', request: req, plan, runs: later }), {});
  });

  it('a seed skipped for a failed skill run gets its combinations once a retry completes it', () => {
    const runs = stage1(() => 'completed');
    const seed0 = ['linear', 'cat'].map((c) => run(`customer_service/combine:${c}`, 'lora', 0));
    const step = nextStage({ id: 'j1', request: req, plan, runs: [...runs, ...seed0] });
    assert.deepEqual(
      step.next?.map((r) => `${r.task} ${r.seed}`),
      ['customer_service/combine:linear 1', 'customer_service/combine:cat 1'],
    );
    const stillFailed = runs.map((r) =>
      r.seed === 1 && r.task.endsWith('skill:tone') ? { ...r, state: 'failed' } : r,
    );
    assert.deepEqual(nextStage({ id: 'j1', request: req, plan, runs: [...stillFailed, ...seed0] }), {});
  });

  it('waits while stage 1 runs, and skips a seed whose skill runs did not all complete', () => {
    const open = stage1((_t, seed) => (seed === 1 ? 'running' : 'completed'));
    assert.deepEqual(nextStage({ id: 'j1', request: req, plan, runs: open }), {});
    const failed = stage1((task, seed) =>
      seed === 1 && task.endsWith('skill:knowledge') ? 'failed' : 'completed',
    );
    const step = nextStage({ id: 'j1', request: req, plan, runs: failed });
    assert.deepEqual(
      step.next?.map((r) => `${r.task} ${r.seed}`),
      ['customer_service/combine:linear 0', 'customer_service/combine:cat 0'],
    );
    assert.match(step.outcome ?? '', /Skipped: seed 1 \(knowledge did not complete\)/);
    const none = stage1((task) => (task.endsWith('skill:tone') ? 'failed' : 'completed'));
    const ended = nextStage({ id: 'j1', request: req, plan, runs: none });
    assert.equal(ended.next, undefined);
    assert.match(
      ended.verdict?.text ?? '',
      /no combination was run\. Skipped: seed 0 \(tone did not complete\); seed 1/,
    );
  });

  it('a combination run is dispatched with the artifact directories of its seed completed skill runs', () => {
    const runs = stage1(() => 'completed');
    const combination = run('customer_service/combine:linear', 'lora', 1, 'queued');
    const dispatched = dispatchRun({ ...combination, loraRank: null }, runs);
    const skill = (name: string) =>
      runs.find((r) => r.task === `customer_service/skill:${name}` && r.seed === 1)?.artifactPath;
    assert.deepEqual(dispatched.adapters, {
      tone: skill('tone'),
      knowledge: skill('knowledge'),
      troubleshooting: skill('troubleshooting'),
    });
    assert.equal(dispatchRun({ ...runs[0], loraRank: null } as RunLike, runs).adapters, undefined);
  });
});

describe('combine: dispatcher config and trainer protocol', () => {
  const connection = redisConnectionOptions(TEST_REDIS_URL);
  const prefix = `faceoff-test-combine-${process.pid}`;
  const cancellation = new CancellationRegistry({ connection, prefix });
  const dispatcher = new BullComparisonDispatcher(connection, prefix, cancellation, {
    attempts: 1,
    backoffMs: 0,
    trainerDefaults: { batch_size: 8, eval_size: 16, test_size: 8, checkpoint_every: 0 },
  });
  after(async () => {
    await dispatcher.close();
    await cancellation.close();
  });
  const input = (task = request().task) => ({
    comparisonId: 'c1',
    teamKey: 't',
    request: { ...request(), task, maxSteps: 3 },
    runs: [],
  });

  it('a skill run trains on its skill, a multi-task run on all of them', () => {
    const skill = dispatcher.trainerConfig(input(), {
      runId: 'r1',
      task: 'customer_service/skill:tone',
      method: 'lora',
      seed: 1,
      learningRate: 0.003,
    });
    assert.ok(!isCombineConfig(skill));
    assert.equal(skill.task, 'customer_service');
    assert.equal(skill.skill, 'tone');
    assert.equal(skill.max_steps, 3);
    const multi = dispatcher.trainerConfig(input(), {
      runId: 'r2',
      task: 'customer_service/skill:all',
      method: 'full',
      seed: 0,
      learningRate: 0.001,
    });
    assert.ok(!isCombineConfig(multi));
    assert.equal(multi.skill, 'all');
    assert.equal(multi.method, 'full');
  });

  it('a combination run gets a combine config with its adapters and only the evaluation settings', () => {
    const config = dispatcher.trainerConfig(input(), {
      runId: 'r3',
      task: 'customer_service/combine:ties',
      method: 'lora',
      seed: 1,
      learningRate: 0,
      adapters: { tone: '/a/r1', knowledge: '/a/r2', troubleshooting: '/a/r3' },
    });
    assert.deepEqual(config, {
      run_id: 'r3',
      task: 'customer_service',
      adapters: { tone: '/a/r1', knowledge: '/a/r2', troubleshooting: '/a/r3' },
      combination: 'ties',
      model: 'tiny',
      seed: 1,
      eval_size: 16,
      test_size: 8,
    });
    assert.ok(parseRunConfig(config).success);
  });

  it('skill datasets: the trainer gets task dataset and one file per skill', () => {
    const task = { kind: 'dataset' as const, datasetId: 'ds-a', datasetIds: ['ds-a', 'ds-b'] };
    const config = dispatcher.trainerConfig(
      { ...input(task), datasetPaths: { 'ds-a': '/d/a.jsonl', 'ds-b': '/d/b.jsonl' } },
      { runId: 'r4', task: 'dataset/skill:ds-a', method: 'lora', seed: 0, learningRate: 0.003 },
    );
    assert.ok(!isCombineConfig(config));
    assert.equal(config.task, 'dataset');
    assert.equal(config.skill, 'ds-a');
    assert.deepEqual(config.skill_datasets, { 'ds-a': '/d/a.jsonl', 'ds-b': '/d/b.jsonl' });
  });

  it("accepts combine's started event (no learning rate, no steps)", () => {
    const line = JSON.stringify({
      event: 'started',
      run_id: 'r3',
      time: 1,
      method: 'lora_combined',
      model: 'tiny',
      task: 'customer_service',
      seed: 0,
      learning_rate: null,
      total_steps: 0,
      trainable_params: 10,
      total_params: 100,
      device: 'cpu',
    });
    assert.ok(parseTrainerLine(line).ok);
  });
});

/** A run's result with the skill fields the combination table reads. */
function result(scores: Record<string, number>, extra: Record<string, unknown> = {}) {
  const set = (name: string, metric: string) => ({
    primary_metric: metric,
    metrics: { [metric]: scores[name] },
  });
  return {
    wall_time_s: 36,
    device_hours: 0.01,
    artifact_bytes: 1000,
    primary_metric: 'all_skills_ok',
    metrics: { all_skills_ok: scores.combined },
    skill_metrics: {
      tone: set('tone', 'tone_ok'),
      knowledge: set('knowledge', 'fact_accuracy'),
      combined: set('combined', 'all_skills_ok'),
    },
    ...extra,
  };
}

describe('combine: results table', () => {
  const skills = ['tone', 'knowledge'];
  const runs: RunLike[] = [0, 1, 2].flatMap((seed) => [
    run(
      'customer_service/skill:tone',
      'lora',
      seed,
      'completed',
      result({ tone: 0.8, knowledge: 0, combined: 0 }),
    ),
    run(
      'customer_service/skill:knowledge',
      'lora',
      seed,
      'completed',
      result({ tone: 0, knowledge: 0.7, combined: 0 }),
    ),
    run(
      'customer_service/skill:all',
      'lora',
      seed,
      'completed',
      result({ tone: 0.5, knowledge: 0.5, combined: 0.2 }),
    ),
    run(
      'customer_service/skill:all',
      'full',
      seed,
      'completed',
      result({ tone: 0.9, knowledge: 0.9, combined: 0.6 + seed * 0.01 }, { artifact_bytes: 50_000 }),
    ),
    run(
      'customer_service/combine:cat',
      'lora',
      seed,
      'completed',
      result(
        { tone: 0.7, knowledge: 0.6, combined: 0.3 + seed * 0.02 },
        { device_hours: 0.001, storage: { adapters_total_bytes: 2000, combined_bytes: 1800 } },
      ),
    ),
    run(
      'customer_service/combine:linear',
      'lora',
      seed,
      'completed',
      result({ tone: 0.3, knowledge: 0.2, combined: 0.1 }, { storage: { adapters_total_bytes: 2000 } }),
    ),
  ]);

  it('one row per variant with scores, storage, device-hours and deployable variants; a paired verdict', () => {
    const analysis = analyzeCombination(runs, skills);
    assert.ok(analysis);
    const table = combinationTable(analysis);
    assert.deepEqual(
      table.columns.map((c) => c.header),
      [
        'Variant',
        'tone (tone_ok)',
        'knowledge (fact_accuracy)',
        'Combined set (all_skills_ok)',
        'Storage',
        'Device-hours',
        'Deployable variants',
      ],
    );
    assert.deepEqual(
      table.rows.map((r) => r[0]),
      [
        'LoRA tone only',
        'LoRA knowledge only',
        'Multi-task LoRA',
        'Multi-task full FT',
        'Combined (linear)',
        'Combined (cat)',
      ],
    );
    const cat = table.rows[5] as string[];
    assert.equal(cat[1], '0.700 ± 0.000');
    assert.equal(cat[3], '0.320 ± 0.050');
    assert.equal(cat[5], '0.021', "its own evaluation plus its seed's two skill runs");
    assert.equal(cat[6], '3', '2^2 - 1 subsets of two skill adapters');
    assert.equal(table.rows[3]?.[6], '1');
    assert.equal(analysis.comparison?.best.label, 'Combined (cat)');
    assert.equal(analysis.comparison?.verdict.outcome, 'full_better');
    assert.match(
      analysis.verdict,
      /^One multi-task full fine-tune beat Combined \(cat\) \(the best of 2 combinations on these same runs, which favours it\) on the combined set: full - combination \+0\.290 ± 0\.\d{3} on all_skills_ok, paired over 3 seeds/,
    );
    assert.ok(table.notes?.some((n) => n.includes('counts its 2 source skill adapters')));
  });

  it('says there is no significant difference when the interval holds zero', () => {
    const noisy = runs.map((r) =>
      r.task.endsWith('combine:cat')
        ? {
            ...r,
            summary: result({ tone: 0.7, knowledge: 0.6, combined: [0.2, 0.9, 0.7][r.seed] as number }),
          }
        : r,
    );
    const analysis = analyzeCombination(noisy, skills);
    assert.match(analysis?.verdict ?? '', /^No significant difference between Combined \(cat\)/);
  });
});
