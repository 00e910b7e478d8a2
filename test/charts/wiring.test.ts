import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createReplyCharts, type ReplyCharts } from '../../src/charts/reply-charts';
import type { Reply } from '../../src/chat/replies';
import { builtinHandlers } from '../../src/commands/builtin';
import { resultsReply } from '../../src/comparison/results-reply';
import { ComparisonTracker } from '../../src/comparison/tracker';
import { decide } from '../../src/decision/recommendation';
import type {
  ComparisonJobRecord,
  ComparisonRunRecord,
  JobChange,
  JobChangeResult,
} from '../../src/persistence/index';
import { loadFixtureRuns } from '../fixtures/runs/load';
import { embeddedRepositories } from '../persistence/backends';
import { pngSize } from './pixel-compare';

const runs = loadFixtureRuns();
const job = { id: 'abc1234', state: 'completed', plan: { lrTuned: true }, runs };
const tasks = [...new Set(runs.map((r) => r.task))];

describe('results reply', () => {
  it('carries the measured table, the summary across tasks, one metric table per task and the efficiency table', async () => {
    const [reply] = await resultsReply(job);
    const titles = reply?.tables?.map((t) => t.title ?? '') ?? [];
    assert.equal(titles[0], 'Measured results');
    assert.ok(titles.includes('Summary across tasks (measured by these runs)'));
    for (const task of tasks)
      assert.ok(
        titles.some((t) => t.startsWith(`${task}: LoRA vs full fine-tuning`)),
        task,
      );
    assert.ok(titles.some((t) => t.startsWith('Efficiency')));
    for (const task of tasks) assert.match(reply?.text ?? '', new RegExp(`^${task}: `, 'm'));
    assert.equal(reply?.images, undefined);
  });
  it('with a chart renderer: loss curves per task, task metrics, adaptation across the tasks, efficiency and cost images', async () => {
    const [reply] = await resultsReply(job, createReplyCharts());
    const names = reply?.images?.map((i) => i.filename) ?? [];
    assert.deepEqual(names, [
      ...tasks.map((t) => `loss-curves-${t}.png`),
      'task-metrics.png',
      'adaptation-speed.png',
      'efficiency.png',
      'measured-cost.png',
    ]);
    for (const image of reply?.images ?? []) assert.ok(pngSize(image.png).width >= 1000);
  });
  it('a failing renderer leaves the tables and says the charts are missing', async () => {
    const broken: Pick<ReplyCharts, 'comparison'> = {
      comparison: async () => Promise.reject(new Error('no canvas')),
    };
    const [reply] = await resultsReply(job, broken);
    assert.match(reply?.text ?? '', /Charts could not be drawn \(no canvas\)/);
    assert.ok((reply?.tables?.length ?? 0) >= 3);
  });
});

describe('cost and decision replies', () => {
  it('/faceoff cost attaches the cost chart with alt text, and keeps its tables when drawing fails', async () => {
    const ctx = {
      args: { positional: [], pairs: new Map() },
      now: new Date(),
      platform: {},
      user: { id: 'u' },
      conversation: { platform: 'console' as const, workspace: 'w', channel: 'c' },
      event: {
        kind: 'command' as const,
        text: 'cost',
        user: { id: 'u' },
        conversation: { platform: 'console' as const, workspace: 'w', channel: 'c' },
      },
    };
    const [reply] = (await builtinHandlers(createReplyCharts()).cost?.(ctx)) ?? [];
    const image = reply?.images?.[0];
    assert.ok(image);
    assert.equal(image.filename, 'cost.png');
    assert.deepEqual(pngSize(image.png), { width: 1000, height: 600 });
    assert.match(image.altText, /First year: LoRA \$[\d,.]+, Full FT \$[\d,.]+/);
    const broken = { cost: async () => Promise.reject(new Error('no canvas')) };
    const [plain] = (await builtinHandlers(broken).cost?.(ctx)) ?? [];
    assert.equal(plain?.images, undefined);
    assert.equal(plain?.tables?.length, 2);
  });
  it('a finished questionnaire gets the weighted-score chart', async () => {
    const verdict = decide({ budget: { bucket: 'under_1k', label: 'under $1k' } });
    const image = await createReplyCharts().decision(verdict);
    assert.equal(image?.filename, 'decision-scores.png');
    assert.match(image?.altText ?? '', /Totals: LoRA \d+\.\d\d, full fine-tuning \d+\.\d\d out of 10/);
  });
});

describe('completed comparison announcement', () => {
  it('posts the results with the charts the tracker was given', async () => {
    const now = new Date();
    const record: ComparisonJobRecord = {
      id: job.id,
      teamId: 'console:local',
      conversationKey: 'console:local:main:',
      requesterId: 'u1',
      state: 'running',
      request: {},
      plan: job.plan,
      summary: null,
      error: null,
      progressMessageKey: null,
      announcedAt: null,
      createdAt: now,
      startedAt: now,
      finishedAt: null,
      runs: runs.map(
        (r, i) =>
          ({
            ...r,
            jobId: job.id,
            ordinal: i + 1,
            attempts: 1,
            progress: null,
            artifactPath: null,
            queueJobId: null,
            startedAt: now,
            finishedAt: now,
            updatedAt: now,
          }) as ComparisonRunRecord,
      ),
    };
    const store = await embeddedRepositories();
    const outbox = store.repos.outbox;
    const jobs = {
      getById: async () => record,
      change: async (input: JobChange): Promise<JobChangeResult> => {
        record.state = input.state;
        await outbox.enqueue(input.notices ?? []);
        return { changed: true, runs: (input.runs ?? []).map((r) => r.runId) };
      },
      updateRun: async () => true,
      markAnnounced: async () => true,
    };
    const posted: Reply[] = [];
    let rendered = 0;
    const charts: Pick<ReplyCharts, 'comparison' | 'scaling'> = {
      comparison: async (input) => {
        rendered += 1;
        return createReplyCharts().comparison(input);
      },
      scaling: async () => assert.fail('a comparison on its own draws no scaling chart'),
    };
    const tracker = new ComparisonTracker({
      repositories: { jobs, outbox } as never,
      notifier: { post: async (_key, reply) => void posted.push(reply) },
      charts,
    });
    try {
      await tracker.comparisonEnded(job.id, { completed: {}, failed: {} });
      await tracker.drain();
      assert.equal(rendered, 1);
      const announcement = posted[0];
      assert.match(announcement?.text ?? '', /^Comparison abc1234 finished\./);
      assert.equal(announcement?.images?.length, tasks.length + 4);
      assert.ok(announcement?.tables?.some((t) => t.title?.startsWith('Summary across tasks')));
    } finally {
      await store.close();
    }
  });
});
