import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { teamKey } from '../../src/chat/conversation';
import { variantOf } from '../../src/comparison/combinations';
import { UNLIMITED } from '../../src/comparison/quota/quota-settings';
import { CONSOLE, type Harness, jobIdFrom, startHarness } from '../support/harness';

/**
 * A combine job with real parts (Redis, BullMQ flows, the Python trainer on the tiny model): the
 * skill and multi-task runs, then the combinations of each seed's skill adapters read from the
 * worker's artifact directory, announced once with the combination table. Evaluation is cut to
 * the bone (one item per set, one paraphrase, 8 new tokens) to keep 12 runs short. One combination
 * (`cat`) is enough here: every trainer process costs seconds of start-up, the other PEFT
 * combinations are the trainer's own tests (jobs/trainer/tests/test_combine.py) and the table with
 * several combinations is tested on recorded runs.
 */
describe('combine end to end (real Redis, real trainer, tiny model)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      trainerDefaults: {
        batch_size: 4,
        seq_len: 64,
        eval_size: 3,
        test_size: 4,
        test_paraphrases: 1,
        max_new_tokens: 8,
        forgetting_texts: 1,
        deploy_requests: 0,
        quality_checkpoints: 0,
        checkpoint_eval_size: 0,
        checkpoint_every: 0,
      },
    });
  });
  after(async () => {
    await h?.close();
  });

  it('trains skill adapters and multi-task runs, combines each seed adapters, and announces the table once', async () => {
    const queued = await h.send(
      '/faceoff combine task=customer_service model=tiny seeds=2 max_steps=3 combinations=cat',
    );
    const id = jobIdFrom(queued);
    assert.match(queued[0]?.text ?? '', /Up to 12 runs of 3 steps, on 2 seeds\. Stage 1 \(10 runs\)/);
    assert.match(queued[0]?.text ?? '', /Learning rates NOT tuned/);
    assert.match(
      queued[0]?.text ?? '',
      /The 2 combination runs only evaluate and are not in this estimate\./,
    );
    await h.jobs.idle();
    const job = await h.repositories.jobs.getById(id);
    assert.ok(job);
    assert.equal(job.state, 'completed', job.error ?? '');
    assert.equal(job.runs.length, 12);
    const states = job.runs.map(
      (r) => `${r.task} ${r.method} ${r.seed}: ${r.state} ${JSON.stringify(r.error ?? '')}`,
    );
    assert.ok(
      job.runs.every((r) => r.state === 'completed'),
      states.join('\n'),
    );
    const combinations = job.runs.filter((r) => variantOf(r.task)?.kind === 'combination');
    assert.deepEqual(combinations.map((r) => `${r.task} ${r.seed}`).sort(), [
      'customer_service/combine:cat 0',
      'customer_service/combine:cat 1',
    ]);
    for (const r of combinations) {
      const summary = r.summary as {
        method?: string;
        combination?: { adapters?: Record<string, { path?: string }> };
      };
      assert.equal(summary.method, 'lora_combined');
      const skillDirs = job.runs
        .filter((s) => variantOf(s.task)?.kind === 'skill' && s.seed === r.seed)
        .map((s) => s.artifactPath);
      for (const adapter of Object.values(summary.combination?.adapters ?? {}))
        assert.ok(
          skillDirs.some((dir) => dir && adapter.path?.startsWith(dir)),
          `${adapter.path} is a skill run of seed ${r.seed}`,
        );
    }
    const texts = h.notifier.texts();
    assert.equal(texts.filter((t) => t.startsWith(`*Comparison ${id}*: Stage 1 finished`)).length, 1);
    const announced = texts.filter((t) => t.startsWith(`Comparison ${id} finished`));
    assert.equal(announced.length, 1);
    assert.match(
      announced[0] ?? '',
      /\*Verdict:\* (No significant difference|One multi-task full fine-tune beat|Combined)/,
    );
    const results = await h.send(`/faceoff results ${id}`);
    const table = results[0]?.tables?.[0];
    assert.ok(table, results.map((r) => r.text).join('\n'));
    assert.deepEqual(
      table.rows.map((r) => r[0]),
      [
        'LoRA tone only',
        'LoRA knowledge only',
        'LoRA troubleshooting only',
        'Multi-task LoRA',
        'Multi-task full FT',
        'Combined (cat)',
      ],
    );
    assert.equal(table.columns.at(-4)?.header, 'Combined set (all_skills_ok)');
    assert.deepEqual(
      table.rows.map((r) => r.at(-1)),
      ['1', '1', '1', '1', '1', '7'],
    );
    assert.ok(results[0]?.images?.length, 'the combination chart is attached');
  });

  it('refuses bad input naming the option, and queues nothing', async () => {
    const before = await h.repositories.jobs.listRecent(teamKey(CONSOLE), 50);
    const bad = await h.send(
      '/faceoff combine task=code_generation model=tiny seeds=1 combinations=linear,svd',
    );
    assert.match(bad[0]?.text ?? '', /^Nothing was queued:/);
    assert.match(bad[0]?.text ?? '', /^task: "code_generation" has no skill training sets/m);
    assert.match(bad[0]?.text ?? '', /^seeds: "1" is not accepted/m);
    assert.match(bad[0]?.text ?? '', /^combinations: /m);
    assert.equal((await h.repositories.jobs.listRecent(teamKey(CONSOLE), 50)).length, before.length);
  });
});

describe('combine and the quota', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ quota: { ...UNLIMITED, runsPerComparison: { default: 13, teams: {} } } });
  });
  after(async () => {
    await h?.close();
  });

  it('counts the combinations stage 2 may add: 10 runs now and 4 later exceed a limit of 13', async () => {
    const refused = await h.send(
      '/faceoff combine task=customer_service model=tiny seeds=2 max_steps=3 combinations=linear,cat',
    );
    assert.match(
      refused[0]?.text ?? '',
      /^Nothing was queued:\nThis plans up to 14 runs .* allows 13 per comparison/,
    );
    assert.equal((await h.repositories.jobs.listRecent(teamKey(CONSOLE), 10)).length, 0);
  });
});
