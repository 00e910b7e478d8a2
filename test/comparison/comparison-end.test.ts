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

/** One embedded database for the file: starting one takes seconds. */
let repos: Repositories;
let close: () => Promise<void>;
before(async () => {
  ({ repos, close } = await embeddedRepositories());
});
after(async () => {
  await close?.();
});

const recorded = loadFixtureRuns((s) => s.task === 'customer_service' && s.seed === 0);

/** A comparison of the recorded runs' methods on `model`, in a study when given one. */
const comparison = (model: string, studyId?: string) =>
  repos.jobs.create({
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
    ...(studyId ? { studyId } : {}),
  });

/**
 * A study is announced once, when its last comparison ends: with that end's transaction, or, when
 * two comparisons end at the same moment (each seeing the other still open), by the later commit.
 */
describe('study announcement (embedded database)', () => {
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
      jobs.push(await comparison(model, s.id));
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

/** A tracker on `jobs` that records what it posts and each run transition it counts. */
const countingTracker = (jobs: Repositories['jobs'], posted: Reply[], transitions: string[]) =>
  new ComparisonTracker({
    repositories: { ...repos, jobs },
    notifier: { post: async (_key, reply) => void posted.push(reply) },
    charts: testCharts,
    metrics: {
      runTransition: (transition, method) => void transitions.push(`${transition} ${method}`),
      runDuration: () => {},
    },
  });

/** A comparison of two runs, and where a counting tracker records posts and run transitions. */
async function twoRuns() {
  const job = await comparison('tiny');
  const [first, second] = job.runs;
  assert.ok(first && second);
  return { job, first, second, posted: [] as Reply[], transitions: [] as string[] };
}

/**
 * The parent's end of a comparison builds the ended job from what it read and wrote rather than
 * reading it back: what it returns, and announces, must be exactly the job as stored.
 */
describe('a comparison ended by its parent (embedded database)', () => {
  it('returns the job as stored: runs the queue events recorded, runs it completed itself, and the end', async () => {
    await repos.subscriptions.subscribe(TEAM, 'console:test:other:', 'alice');
    const job = await comparison('tiny');
    const posted: Reply[] = [];
    const tracker = new ComparisonTracker({
      repositories: repos,
      notifier: { post: async (_key, reply) => void posted.push(reply) },
      charts: testCharts,
    });
    const [first, ...rest] = job.runs;
    assert.ok(first && rest.length);
    const summaryOf = (method: string) => recorded.find((r) => r.method === method)?.summary;
    // The first run's end came through the queue's events; the others reach the parent first.
    await tracker.runCompleted(first.id, { status: 'completed', summary: summaryOf(first.method) });
    const ended = await tracker.comparisonEnded(job.id, {
      completed: Object.fromEntries(
        job.runs.map((r) => [
          r.id,
          { status: 'completed' as const, summary: summaryOf(r.method), outputDir: `/runs/${r.id}` },
        ]),
      ),
      failed: {},
    });
    await tracker.drain();
    const stored = await repos.jobs.getById(job.id);
    assert.equal(ended?.state, 'completed');
    assert.deepEqual(ended, stored);
    assert.ok(stored?.runs.every((r) => r.state === 'completed' && r.summary));
    assert.equal(stored?.runs[1]?.artifactPath, `/runs/${rest[0]?.id}`);
    assert.equal(posted.filter((r) => r.text.startsWith(`Comparison ${job.id} finished`)).length, 1);
  });

  it('writes the failures the parent was told of with its end, in the same statement', async () => {
    const { job, first, second, posted, transitions } = await twoRuns();
    const jobs: Repositories['jobs'] = Object.create(repos.jobs);
    let writes = 0;
    jobs.updateRun = async (...args) => {
      writes += 1;
      return repos.jobs.updateRun(...args);
    };
    jobs.change = async (input) => {
      writes += 1;
      return repos.jobs.change(input);
    };
    const tracker = countingTracker(jobs, posted, transitions);
    const failure = { kind: 'oom', message: 'CUDA out of memory "at" step 3 ✓', step: 3, exitCode: 1 };
    const ended = await tracker.comparisonEnded(job.id, {
      completed: {
        [first.id]: {
          status: 'completed',
          summary: recorded.find((r) => r.method === first.method)?.summary,
        },
      },
      failed: { [second.id]: failure },
    });
    await tracker.drain();
    const stored = await repos.jobs.getById(job.id);
    assert.equal(writes, 1, 'one write: the end with both runs');
    assert.deepEqual(ended, stored);
    assert.equal(stored?.runs[1]?.state, 'failed');
    assert.deepEqual(stored?.runs[1]?.error, failure);
    assert.ok(stored?.runs[1]?.finishedAt);
    assert.equal(stored?.state, 'completed', 'one run completed');
    assert.equal(posted.filter((r) => r.text.startsWith(`Comparison ${job.id} finished`)).length, 1);
    assert.deepEqual(transitions.sort(), [`completed ${first.method}`, `failed ${second.method}`].sort());
  });

  it('ends it again from the runs as stored when one of them was ended by someone else meanwhile', async () => {
    const { job, second, posted, transitions } = await twoRuns();
    let calls = 0;
    const jobs: Repositories['jobs'] = Object.create(repos.jobs);
    // Another process cancels the second run between the parent's read and its end.
    jobs.change = async (input) => {
      calls += 1;
      if (calls === 1) await repos.jobs.changeRun(second.id, { state: 'cancelled', finishedAt: new Date() });
      return repos.jobs.change(input);
    };
    const tracker = countingTracker(jobs, posted, transitions);
    const summaryOf = (method: string) => recorded.find((r) => r.method === method)?.summary;
    const ended = await tracker.comparisonEnded(job.id, {
      completed: Object.fromEntries(
        job.runs.map((r) => [r.id, { status: 'completed' as const, summary: summaryOf(r.method) }]),
      ),
      failed: {},
    });
    await tracker.drain();
    const stored = await repos.jobs.getById(job.id);
    assert.equal(calls, 2, 'the end is written again once');
    assert.deepEqual(ended, stored);
    assert.deepEqual(
      stored?.runs.map((r) => r.state),
      job.runs.map((r) => (r.id === second.id ? 'cancelled' : 'completed')),
    );
    assert.equal(stored?.state, 'completed');
    assert.ok(stored?.announcedAt);
    assert.equal(posted.filter((r) => r.text.startsWith(`Comparison ${job.id} finished`)).length, 1);
    assert.deepEqual(
      transitions.sort(),
      job.runs
        .filter((r) => r.id !== second.id)
        .map((r) => `completed ${r.method}`)
        .sort(),
      'each run this end wrote counted once; the one it did not, not at all',
    );
  });
});
