import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeScaling } from '../../src/analysis/scaling';
import type { ComparisonRequest } from '../../src/comparison/request';
import { type Harness, jobIdFrom, startHarness } from '../support/harness';
import { LEAN_TRAINER_DEFAULTS } from '../support/test-services';

/**
 * A scaling study with real parts: `model=tiny-s,tiny` queues one comparison per model (real
 * Redis, real worker, the real trainer on two sizes of the tiny family), announces each, then
 * announces the scaling table once both have ended.
 */
describe('studies end to end: model sizes and domains (real Redis, real trainer, tiny family)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ trainerDefaults: LEAN_TRAINER_DEFAULTS });
  });
  after(async () => {
    await h?.close();
  });

  it('refuses a bad model list before anything is queued, naming the entry', async () => {
    const cases: [string, RegExp][] = [
      ['tiny,,tiny-s', /model: entry 2 of "tiny,,tiny-s" is empty/],
      ['tiny,tiny', /model: "tiny" is named twice/],
      ['tiny-s,tiny,tiny-l,smollm2-135m,tiny-xl', /model: at most 4 models in one scaling study \(5 given\)/],
      ['tiny,./no/such/model', /Nothing was queued:\nmodel: ".\/no\/such\/model" is not available here/],
    ];
    for (const [models, expected] of cases) {
      const replies = await h.send(`/faceoff compare task=customer_service model=${models} max_steps=2`);
      assert.match(replies[0]?.text ?? '', expected, models);
    }
    const plan = await h.send('/faceoff plan task=customer_service model=tiny,tiny-s target=0.5');
    assert.match(plan[0]?.text ?? '', /model: plan takes one model/);
    assert.equal((await h.repositories.jobs.listRecent('console:test', 10)).length, 0, 'nothing was queued');
  });

  it('model=tiny-s,tiny: a comparison per model, each announced, then one scaling table', async () => {
    const queued = await h.send(
      '/faceoff compare task=customer_service model=tiny-s,tiny seeds=1 max_steps=4 lr_sweep=off',
    );
    const id = jobIdFrom(queued);
    const text = queued[0]?.text ?? '';
    assert.match(id, /^st-[a-z0-9]{6}$/);
    assert.match(
      text,
      new RegExp(`Scaling study ${id}\\* queued: .* on tiny-s, tiny, one comparison per model`),
    );
    assert.match(text, /- tiny-s: comparison [a-z0-9]{7}, up to 2 runs\./);
    await h.jobs.idle();
    const study = await h.repositories.studies.getById(id);
    assert.ok(study);
    assert.deepEqual(
      study.jobs.map((j) => [(j.request as ComparisonRequest).model, j.state, j.studyId]),
      [
        ['tiny-s', 'completed', id],
        ['tiny', 'completed', id],
      ],
    );
    for (const job of study.jobs) {
      assert.equal((job.request as ComparisonRequest).models, undefined, 'each comparison names one model');
      assert.equal(h.notifier.texts().filter((t) => t.startsWith(`Comparison ${job.id} finished`)).length, 1);
    }
    const analysis = analyzeScaling(
      study.jobs.map((j) => ({ model: (j.request as ComparisonRequest).model, runs: j.runs })),
    );
    const [small, base] = analysis.rows;
    assert.ok(small && base);
    assert.equal(small.model, 'tiny-s');
    assert.ok(
      (small.params ?? 0) < (base.params ?? 0) / 2,
      'tiny-s has well under half the parameters of tiny',
    );
    for (const row of analysis.rows) {
      assert.equal(row.ratios.artifact_bytes.n, 1, 'storage ratio paired by seed');
      assert.ok((row.ratios.artifact_bytes.ratio ?? 0) > 1, 'full weights outweigh the adapter');
      assert.ok(row.trainableShare !== undefined && row.trainableShare > 0 && row.trainableShare < 1);
    }
    const announcements = h.notifier.posts.filter((p) => p.reply.text.startsWith(`*Scaling study ${id}*`));
    assert.equal(announcements.length, 1, 'the study is announced once');
    const table = announcements[0]?.reply.tables?.[0];
    assert.ok(table);
    assert.match(table.title ?? '', /^Scaling/);
    assert.deepEqual(
      table.rows.map((r) => r[1]),
      ['tiny-s', 'tiny'],
    );
    assert.equal(announcements[0]?.reply.images?.length, 1);
    assert.ok(table.notes?.some((n) => /per tenfold parameters over 2 sizes/.test(n)));

    const results = await h.send(`/faceoff results ${id.toUpperCase()}`);
    assert.deepEqual(results[0]?.tables?.[0]?.rows, table.rows);
    const status = await h.send(`/faceoff status ${id}`);
    assert.match(
      status[0]?.text ?? '',
      /ended\n- tiny-s: comparison [a-z0-9]{7}, completed \(2 of 2 runs done\)/,
    );
    const cancel = await h.send(`/faceoff cancel ${id}`);
    assert.match(cancel[0]?.text ?? '', new RegExp(`${id} has no queued or running runs`));
    const other = await h.send('/faceoff results st-zzzzzz');
    assert.match(other[0]?.text ?? '', /No study "st-zzzzzz" in this workspace/);
  });

  it('task=<dataset>,<dataset>: each dataset is a domain, trained on its own file, with the adaptation table', async () => {
    const ids: string[] = [];
    mkdirSync(join(h.dir, 'datasets'), { recursive: true });
    for (const [name, line] of [
      [
        'returns',
        (i: number) => `{"prompt":"return order ${i}?","completion":"Yes, order ${i} can be returned."}`,
      ],
      [
        'shipping',
        (i: number) => `{"prompt":"where is parcel ${i}?","completion":"Parcel ${i} ships tomorrow."}`,
      ],
    ] as const) {
      const path = join(h.dir, 'datasets', `${name}.jsonl`);
      writeFileSync(path, `${Array.from({ length: 30 }, (_, i) => line(i)).join('\n')}\n`);
      const dataset = await h.repositories.datasets.register({
        teamKey: 'console:test',
        name: `${name}.jsonl`,
        path,
        sha256: name,
        lineCount: 30,
        createdBy: 'alice',
      });
      ids.push(dataset.id);
    }
    const missing = await h.send(`/faceoff compare task=${ids[0]},ds-nothere model=tiny max_steps=2`);
    assert.match(missing[0]?.text ?? '', /Nothing was queued:\ntask: no dataset "ds-nothere" is registered/);
    const queued = await h.send(
      `/faceoff compare task=${ids.join(',')} model=tiny seeds=1 max_steps=4 lr_sweep=off`,
    );
    const id = jobIdFrom(queued);
    await h.jobs.idle();
    const job = await h.repositories.jobs.getById(id);
    assert.ok(job);
    assert.equal(job.state, 'completed');
    assert.deepEqual([...new Set(job.runs.map((r) => r.task))], ids);
    const announcement = h.notifier.posts.find((p) => p.reply.text.startsWith(`Comparison ${id} finished`));
    const adaptation = announcement?.reply.tables?.find((t) =>
      t.title?.startsWith('Adaptation across domains'),
    );
    assert.ok(adaptation, 'the adaptation table is part of a multi-domain comparison');
    assert.deepEqual(
      adaptation.rows.map((r) => r[0]),
      [...ids, 'Average'],
    );
  });
});
