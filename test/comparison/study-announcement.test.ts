import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Reply } from '../../src/chat/replies';
import { ComparisonTracker } from '../../src/comparison/tracker';
import type { Repositories } from '../../src/persistence/index';
import { loadFixtureRuns } from '../fixtures/runs/load';
import { embeddedRepositories } from '../persistence/backends';
import { testCharts } from '../support/test-charts';

const TEAM = 'console:test';
const CONVERSATION = 'console:test:c1:';

/**
 * A study is announced once, when its last comparison ends: with that end's transaction, or, when
 * two comparisons end at the same moment (each seeing the other still open), by the later commit.
 */
describe('study announcement (embedded database)', () => {
  let repos: Repositories;
  let close: () => Promise<void>;
  before(async () => {
    ({ repos, close } = await embeddedRepositories());
  });
  after(async () => {
    await close?.();
  });

  const recorded = loadFixtureRuns((s) => s.task === 'customer_service' && s.seed === 0);

  async function study(models: string[]) {
    const s = await repos.studies.create({
      teamKey: TEAM,
      conversationKey: CONVERSATION,
      requesterId: 'alice',
      kind: 'scaling',
      request: { models },
    });
    const jobs = [];
    for (const model of models) {
      jobs.push(
        await repos.jobs.create({
          teamKey: TEAM,
          conversationKey: CONVERSATION,
          requesterId: 'alice',
          request: { model, task: { kind: 'suites', tasks: ['customer_service'] } },
          plan: { lrTuned: false },
          runs: recorded.map((r) => ({
            task: r.task,
            method: r.method as 'lora',
            seed: r.seed,
            learningRate: r.learningRate,
          })),
          studyId: s.id,
        }),
      );
    }
    return { id: s.id, jobs };
  }

  function tracker(posted: Reply[]) {
    return new ComparisonTracker({
      repositories: repos,
      notifier: { post: async (_key, reply) => void posted.push(reply) },
      charts: testCharts,
    });
  }

  async function complete(t: ComparisonTracker, jobId: string) {
    const job = await repos.jobs.getById(jobId);
    for (const run of job?.runs ?? []) {
      const summary = recorded.find((r) => r.method === run.method)?.summary;
      await t.runCompleted(run.id, { status: 'completed', summary });
    }
  }

  const studyPosts = (posted: Reply[], id: string) =>
    posted.filter((r) => r.text.startsWith(`*Scaling study ${id}*`));

  it('the last comparison to end writes the study announcement with its own end', async () => {
    const posted: Reply[] = [];
    const t = tracker(posted);
    const { id, jobs } = await study(['tiny-s', 'tiny']);
    const [first, second] = jobs;
    assert.ok(first && second);
    await complete(t, first.id);
    await t.comparisonEnded(first.id, { completed: {}, failed: {} });
    await t.drain();
    assert.equal(studyPosts(posted, id).length, 0, 'not before every comparison has ended');
    await complete(t, second.id);
    await t.comparisonEnded(second.id, { completed: {}, failed: {} });
    await t.drain();
    const [post] = studyPosts(posted, id);
    assert.ok(post);
    assert.equal(studyPosts(posted, id).length, 1);
    assert.deepEqual(
      post.tables?.[0]?.rows.map((r) => r[1]),
      ['tiny-s', 'tiny'],
    );
    const notices = await repos.outbox.forJob(second.id);
    assert.ok(notices.some((n) => n.kind === 'announcement'));
  });

  it('two comparisons ending at once announce the study once', async () => {
    const posted: Reply[] = [];
    const [a, b] = [tracker(posted), tracker(posted)];
    const { id, jobs } = await study(['tiny-s', 'tiny-l']);
    const [first, second] = jobs;
    assert.ok(first && second);
    await complete(a, first.id);
    await complete(b, second.id);
    await Promise.all([
      a.comparisonEnded(first.id, { completed: {}, failed: {} }),
      b.comparisonEnded(second.id, { completed: {}, failed: {} }),
    ]);
    await Promise.all([a.drain(), b.drain()]);
    assert.equal(studyPosts(posted, id).length, 1);
  });
});
