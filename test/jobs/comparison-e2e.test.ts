import assert from 'node:assert/strict';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CONSOLE, type Harness, jobIdFrom, startHarness, waitFor } from '../support/harness';

/**
 * The whole path with real parts: command -> BullMQ flow on the real Redis -> in-process worker ->
 * the real Python trainer on the tiny model -> database -> announcement.
 */
describe('comparison jobs end to end (real Redis, real trainer, tiny model)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('queues, runs both arms, stores measured numbers and announces exactly once', async () => {
    const queued = await h.send(
      '/faceoff compare task=customer_service model=tiny seeds=1 max_steps=6 lr_sweep=off',
    );
    const id = jobIdFrom(queued);
    assert.match(
      queued[0]?.text ?? '',
      /1 task x 2 methods x 1 seed x learning rates .* = 2 runs of 6 steps; learning rates NOT tuned/,
    );
    await h.jobs.idle();
    const job = await h.repositories.jobs.getById(id);
    assert.ok(job);
    assert.equal(job.state, 'completed');
    assert.deepEqual(
      job.runs.map((r) => r.state),
      ['completed', 'completed'],
    );
    const lora = job.runs.find((r) => r.method === 'lora')?.summary as Record<string, number>;
    const full = job.runs.find((r) => r.method === 'full')?.summary as Record<string, number>;
    assert.ok(lora && full);
    // The preset's rank 16 on a model of width 128 trains about 14% of its parameters.
    assert.equal((lora as unknown as { lora: { rank: number } }).lora.rank, 16, 'the preset rank, unscaled');
    assert.ok(
      (lora.trainable_params ?? 0) < (full.trainable_params ?? 0) * 0.2,
      'LoRA trains under 20% of the parameters',
    );
    assert.ok(
      (lora.artifact_bytes ?? 0) < (full.artifact_bytes ?? 0),
      'the adapter is smaller than the full weights',
    );
    const series = await h.repositories.jobs.metricSeries(job.runs[0]?.id ?? '');
    assert.equal(series.train_loss?.length, 6);
    const announcements = h.notifier.posts.filter((p) =>
      p.reply.text.startsWith(`Comparison ${id} finished`),
    );
    assert.equal(announcements.length, 1);
    const table = announcements[0]?.reply.tables?.[0];
    assert.ok(table);
    assert.deepEqual(
      table.rows.map((r) => r[1]),
      ['LoRA', 'Full FT'],
    );
    const results = await h.send(`/faceoff results ${id}`);
    assert.match(results[0]?.text ?? '', new RegExp(`Results of ${id}`));
    assert.equal(results[0]?.tables?.[0]?.rows.length, 2);
    const status = await h.send(`/faceoff status ${id}`);
    assert.match(status[0]?.text ?? '', /completed/);
    const list = await h.send('/faceoff jobs');
    assert.ok(list[0]?.tables?.[0]?.rows.some((r) => r[0] === id));

    // The chosen LoRA adapter, from the local artifact directory, as a file in the thread.
    const adapter = await h.send(`/faceoff adapter ${id}`);
    const file = adapter[0]?.files?.[0];
    assert.ok(file, adapter[0]?.text);
    assert.equal(file.filename, `${id}-customer_service-lora-seed${lora.seed ?? 0}.tar.gz`);
    assert.ok(file.bytes > 0 && statSync(file.path).size === file.bytes);
    assert.match(
      adapter[0]?.text ?? '',
      /rank 16 · alpha \d+ · targets .+ · learning rate .+ · PEFT \d+\.\d+/,
    );
    assert.match(adapter[0]?.text ?? '', /PeftModel\.from_pretrained/);
    const fullAdapter = await h.send(`/faceoff adapter ${id} customer_service full`);
    assert.match(fullAdapter[0]?.text ?? '', /No adapter: full makes no adapter/);
    const elsewhere = await h.send(
      `/faceoff adapter ${id}`,
      { id: 'mallory' },
      { ...CONSOLE, workspace: 'other' },
    );
    assert.match(elsewhere[0]?.text ?? '', /No job ".*" in this workspace/);
  });

  it('refuses a model outside the policy before queueing, with one answer for missing and forbidden', async () => {
    const before = (await h.repositories.jobs.listRecent('console:test', 50)).length;
    for (const model of ['./no/such/model', '../../../../etc', join(h.dir, 'artifacts'), 'someone/else']) {
      const replies = await h.send(`/faceoff compare task=customer_service model=${model} max_steps=2`);
      assert.match(
        replies[0]?.text ?? '',
        /Nothing was queued:\nmodel: ".*" is not available here: use tiny/,
        model,
      );
    }
    assert.equal((await h.repositories.jobs.listRecent('console:test', 50)).length, before);
  });

  it('fails a run whose model does not load at once, says why in one line, and retry re-runs it', async () => {
    const notAModel = join(h.dir, 'models', 'not-a-model');
    mkdirSync(notAModel, { recursive: true });
    writeFileSync(join(notAModel, 'notes.txt'), 'no weights here');
    const queued = await h.send(
      `/faceoff compare task=customer_service model=${notAModel} max_steps=2 lr_sweep=off methods=lora seeds=1`,
    );
    const id = jobIdFrom(queued);
    await h.jobs.idle();
    const job = await h.repositories.jobs.getById(id);
    assert.equal(job?.state, 'failed');
    assert.equal(job?.runs[0]?.attempts, 1, 'a user error is not retried');
    const notice = h.notifier.texts().find((t) => t.startsWith(`Comparison ${id} failed`));
    assert.match(notice ?? '', /LoRA could not start: .*could not load .*not-a-model/);
    assert.doesNotMatch(notice ?? '', /Traceback|File "/);
    const retried = await h.send(`/faceoff retry ${id}`);
    assert.match(retried[0]?.text ?? '', /Retrying 1 run/);
    await h.jobs.idle();
    const notices = h.notifier.texts().filter((t) => t.startsWith(`Comparison ${id} failed`));
    assert.equal(notices.length, 2, 'the retried job is announced again');
  });

  it('cancel stops a running trainer; only the requester or an admin may cancel', async () => {
    const queued = await h.send(
      '/faceoff compare task=customer_service model=tiny seeds=1 max_steps=5000 lr_sweep=off methods=full',
    );
    const id = jobIdFrom(queued);
    await waitFor(
      'the run to start',
      async () => (await h.repositories.jobs.getById(id))?.runs[0]?.state === 'running',
    );
    const refused = await h.send(`/faceoff cancel ${id}`, { id: 'mallory' });
    assert.match(refused[0]?.text ?? '', /Only alice .* or an admin can cancel it/);
    const cancelled = await h.send(`/faceoff cancel ${id}`, { id: 'alice' });
    assert.match(cancelled[0]?.text ?? '', /Cancelling/);
    await h.jobs.idle();
    const job = await h.repositories.jobs.getById(id);
    assert.equal(job?.state, 'cancelled');
    assert.equal(job?.runs[0]?.state, 'cancelled');
    assert.ok(h.notifier.texts().some((t) => t === `Comparison ${id} was cancelled; no results.`));
    // A retried run trains again: the earlier cancellation does not carry over to it.
    const retried = await h.send(`/faceoff retry ${id}`);
    assert.match(retried[0]?.text ?? '', /Retrying 1 run/);
    await waitFor('the retried run to train', async () => {
      const run = (await h.repositories.jobs.getById(id))?.runs[0];
      return run?.state === 'running' && ((run.progress as { step?: number } | null)?.step ?? 0) >= 1;
    });
    await h.send(`/faceoff cancel ${id}`);
    await h.jobs.idle();
    assert.equal((await h.repositories.jobs.getById(id))?.state, 'cancelled');
  });

  it('validates before queueing anything', async () => {
    const before = (await h.repositories.jobs.listRecent('console:test', 50)).length;
    const replies = await h.send('/faceoff compare task=poetry model=tiny seeds=9');
    assert.match(replies[0]?.text ?? '', /Nothing was queued/);
    assert.equal((await h.repositories.jobs.listRecent('console:test', 50)).length, before);
  });
});
