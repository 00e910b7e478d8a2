import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Reply } from '../../src/chat/replies';
import { ComparisonTracker } from '../../src/comparison/tracker';
import type { ComparisonJobRecord } from '../../src/persistence/comparison-records';
import type { Repositories } from '../../src/persistence/index';
import { loadFixtureRuns } from '../fixtures/runs/load';
import { embeddedRepositories } from '../persistence/backends';
import { testCharts } from '../support/test-charts';

const TEAM = 'console:test';

/** The job as `comparisonEnded` returns it, without the runs' update times (the database sets those). */
const comparable = (job: ComparisonJobRecord | null) =>
  job && { ...job, runs: job.runs.map(({ updatedAt: _, ...run }) => run) };

/**
 * The parent's end of a comparison builds the ended job from what it read and wrote rather than
 * reading it back: what it returns, and announces, must be exactly the job as stored.
 */
describe('a comparison ended by its parent (embedded database)', () => {
  let repos: Repositories;
  let close: () => Promise<void>;
  before(async () => {
    ({ repos, close } = await embeddedRepositories());
  });
  after(async () => {
    await close?.();
  });

  const recorded = loadFixtureRuns((s) => s.task === 'customer_service' && s.seed === 0);

  it('returns the job as stored: runs the queue events recorded, runs it completed itself, and the end', async () => {
    await repos.subscriptions.subscribe(TEAM, 'console:test:other:', 'alice');
    const job = await repos.jobs.create({
      teamKey: TEAM,
      conversationKey: 'console:test:c1:',
      requesterId: 'alice',
      request: { model: 'tiny', task: { kind: 'suites', tasks: ['customer_service'] } },
      plan: { lrTuned: false },
      runs: recorded.map((r) => ({
        task: r.task,
        method: r.method as 'lora',
        seed: r.seed,
        learningRate: r.learningRate,
      })),
    });
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
    assert.deepEqual(comparable(ended), comparable(stored));
    assert.ok(stored?.runs.every((r) => r.state === 'completed' && r.summary));
    assert.equal(stored?.runs[1]?.artifactPath, `/runs/${rest[0]?.id}`);
    assert.equal(posted.filter((r) => r.text.startsWith(`Comparison ${job.id} finished`)).length, 1);
  });
});
