import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../fixtures/trainers/fake-runs';
import { type Harness, jobIdFrom, startHarness } from '../support/harness';
import { deleteRedisKeys, LEAN_TRAINER_DEFAULTS } from '../support/test-services';

/**
 * Redis comes back empty mid-comparison (a restart without persistence): the database still says
 * "running". Reconciliation fails the lost run with a notice and closes the job, announced once.
 * Real parts: Redis, BullMQ, the embedded database, the real trainer on the tiny model.
 */
describe('a comparison whose queue was lost (real Redis, real trainer)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ trainerDefaults: LEAN_TRAINER_DEFAULTS });
  });
  after(async () => {
    await h?.close();
  });

  it('is failed with a notice that says what was lost, and announced exactly once', async () => {
    const queued = await h.send(
      '/faceoff compare task=customer_service model=tiny methods=lora seeds=1 lr_sweep=off max_steps=20000',
    );
    const id = jobIdFrom(queued);
    await waitFor(
      'the run to be training',
      async () => (await h.repositories.jobs.getById(id))?.runs[0]?.state === 'running',
      180_000,
      200,
    );
    await deleteRedisKeys(h.prefix); // Redis restarted with nothing kept
    await h.jobs.reconcile(0);
    const job = await h.repositories.jobs.getById(id);
    assert.equal(job?.state, 'failed');
    assert.equal(job?.runs[0]?.state, 'failed');
    assert.ok(job?.announcedAt, 'announced');
    const texts = h.notifier.texts();
    assert.equal(
      texts.filter((t) => /the queue no longer has this run \(Redis restarted without persistence/.test(t))
        .length,
      1,
      texts.join('\n---\n'),
    );
    const announcements = texts.filter(
      (t) => t.startsWith(`Comparison ${id} failed`) || t.startsWith(`Comparison ${id} finished`),
    );
    assert.equal(announcements.length, 1, texts.join('\n---\n'));
    assert.deepEqual(
      await h.jobs.reconcile(0),
      { checked: 0, recorded: 0, lost: 0, closed: 0 },
      'nothing twice',
    );
  });

  it('keeps an announcement the platform refuses, and posts it once when the platform is back', async () => {
    const recording = h.notifier;
    const post = recording.post.bind(recording);
    let refused = 0;
    recording.post = async (key, reply) => {
      if (/^Comparison \w+ finished/.test(reply.text) && refused < 3) {
        refused++;
        throw Object.assign(new Error('the platform answered 503'), { status: 503 });
      }
      return post(key, reply);
    };
    try {
      const queued = await h.send(
        '/faceoff compare task=customer_service model=tiny methods=lora seeds=1 lr_sweep=off max_steps=2',
      );
      const id = jobIdFrom(queued);
      await waitFor(
        'the comparison to end',
        async () => {
          const job = await h.repositories.jobs.getById(id);
          return job && !['queued', 'running'].includes(job.state) ? job : undefined;
        },
        180_000,
        200,
      );
      const finished = () => h.notifier.texts().filter((t) => t.startsWith(`Comparison ${id} finished`));
      await waitFor('the announcement after the refusals', async () => finished().length > 0, 30_000, 100);
      assert.equal(refused, 3, 'refused three times first');
      const [notice] = (await h.repositories.outbox.forJob(id)).filter((n) => n.kind === 'announcement');
      assert.equal(notice?.state, 'sent');
      assert.equal(notice?.attempts, 3);
      await h.jobs.reconcile(0);
      await h.jobs.tracker.drain();
      assert.equal(finished().length, 1, 'posted exactly once');
    } finally {
      recording.post = post;
    }
  });
});
