/**
 * The verdict from the team's own measurements: criteria scored from a finished comparison's
 * recorded runs, LoRA's share checked against the accepted bar, and `decide job=<id>` end to end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { summarize } from '../../src/analysis/statistics';
import type { ConversationRef } from '../../src/chat/conversation';
import type { Reply } from '../../src/chat/replies';
import { RUN_COMMAND_ACTION } from '../../src/commands/command-text';
import { resultsReply } from '../../src/comparison/results-reply';
import { evidenceFromRuns, type MeasuredEvidence } from '../../src/decision/evidence';
import { weekOne } from '../../src/decision/plan';
import { inputFromText, type QuestionnaireState, step } from '../../src/decision/questionnaire';
import { parseShare } from '../../src/decision/questions';
import { checkBar, decide } from '../../src/decision/recommendation';
import { loadFixtureRuns } from '../fixtures/runs/load';
import { type RecordingEngine, startRecordingEngine } from '../support/recording-engine';

const runs = loadFixtureRuns();
const evidence = evidenceFromRuns('abc1234', runs);
const dataAnalysis = evidence.find((e) => e.task === 'data_analysis');
const withShare = (shares: number[]): MeasuredEvidence => ({
  ...(dataAnalysis as MeasuredEvidence),
  share: summarize(shares),
  seeds: shares.length,
});

describe('measured evidence from recorded runs', () => {
  it('one entry per task that ran both methods, with paired share, times, cost and sizes', () => {
    assert.deepEqual(
      evidence.map((e) => e.task),
      ['customer_service', 'data_analysis'],
    );
    assert.ok(dataAnalysis);
    assert.equal(dataAnalysis.seeds, 3);
    assert.equal(dataAnalysis.metric, 'numeric accuracy');
    assert.ok(dataAnalysis.artifactBytes.full > 10 * dataAnalysis.artifactBytes.lora);
    assert.ok(dataAnalysis.wallSeconds.lora > 0 && dataAnalysis.deviceHours.full > 0);
  });

  it('scores every criterion it measured, marks them, and keeps the framework weights', () => {
    const verdict = decide({}, dataAnalysis);
    assert.deepEqual(
      verdict.scores.rows.map((r) => r.source),
      ['measured', 'measured', 'measured', 'measured', 'measured'],
    );
    const row = (c: string) => verdict.scores.rows.find((r) => r.criterion === c);
    assert.equal(row('flexibility')?.lora, 10, 'the smaller artifact scores 10');
    assert.ok((row('flexibility')?.full ?? 10) < 6, 'a 60x larger checkpoint scores about 5.5');
    assert.match(
      row('performance')?.basis ?? '',
      /LoRA reached \d+% ± \d+% of full fine-tuning's numeric accuracy over 3 paired seeds/,
    );
    assert.equal(verdict.scores.rows.reduce((w, r) => w + r.weight, 0).toFixed(6), '1.000000');
    const framework = decide({});
    assert.equal(
      framework.scores.loraTotal.toFixed(2),
      '9.05',
      "without measurements: the framework's own table",
    );
    assert.ok(framework.scores.rows.every((r) => r.source === 'framework'));
  });

  it("ends with a 'Start week 1' button that runs the hybrid plan at the accepted share of full's measured score", () => {
    assert.ok(dataAnalysis);
    assert.equal(dataAnalysis.model, 'tiny');
    // Full fine-tuning's recorded numeric accuracy on seeds 0-2: 0.025, 0.05, 0.016667.
    assert.ok(Math.abs((dataAnalysis.fullScore ?? 0) - 0.030556) < 1e-6, String(dataAnalysis.fullScore));
    const answers = { performance: { value: 'yes', threshold: 0.9, label: '90%' } } as never;
    const week1 = weekOne(answers, decide(answers, dataAnalysis));
    assert.deepEqual(week1.buttons, [
      {
        actionId: RUN_COMMAND_ACTION,
        value: 'plan task=data_analysis model=tiny target=0.028',
        label: 'Start week 1',
        style: 'primary',
      },
    ]);
    assert.match(
      week1.line,
      /target: 90% of full fine-tuning's measured numeric accuracy 0\.031 in abc1234, computed/,
    );
    const unmeasured = weekOne({}, decide({}));
    assert.deepEqual(unmeasured.buttons, []);
    assert.match(unmeasured.line, /\/faceoff plan task=<task or dataset id> model=<your model> target=/);
  });

  it('a stated budget caps the score of a method whose compute cost exceeds it', () => {
    const tiny = decide({ budget: { bucket: 'under_1k', usd: 0.08, label: '$0.08' } }, dataAnalysis);
    const budget = tiny.scores.rows.find((r) => r.criterion === 'budget');
    assert.ok(budget);
    assert.ok(budget.full <= 1 && budget.lora > 1, JSON.stringify(budget));
  });

  it('checks the measured share and its interval against the accepted bar, in plain words', () => {
    assert.equal(checkBar(withShare([0.97, 0.98, 0.99]), 0.95)?.outcome, 'above');
    assert.match(
      checkBar(withShare([0.97, 0.98, 0.99]), 0.95)?.sentence ?? '',
      /^LoRA reached 98% ± \d+% of full fine-tuning's numeric accuracy on your data \(job abc1234, 3 paired seeds\): above your 95% bar, interval included\.$/,
    );
    assert.equal(checkBar(withShare([0.8, 0.82, 0.81]), 0.95)?.outcome, 'below');
    assert.equal(checkBar(withShare([0.9, 1.0, 0.95]), 0.95)?.outcome, 'straddles');
    assert.equal(checkBar(withShare([0.99]), 0.95)?.outcome, 'single_seed');
    const below = decide(
      { performance: { value: 'no', threshold: 0.99, label: '99%' } },
      withShare([0.8, 0.82, 0.81]),
    );
    assert.ok(below.fullSignals.some((s) => s.startsWith('measured: LoRA is below your 99% bar')));
    const above = decide(
      { performance: { value: 'no', threshold: 0.97, label: '97%' } },
      withShare([0.99, 0.995, 1.0]),
    );
    assert.ok(
      !above.fullSignals.some((s) => s.startsWith('performance')),
      'a met bar answers the performance question',
    );
  });

  it('the performance question takes a share', () => {
    assert.equal(parseShare('97%'), 0.97);
    assert.equal(parseShare('about 90 percent'), 0.9);
    assert.equal(parseShare('0.9'), 0.9);
    assert.equal(parseShare('40%'), undefined);
    const state: QuestionnaireState = {
      version: 1,
      index: 2,
      answers: {
        budget: { bucket: '1k_10k', usd: 5000, label: '$5,000' },
        timeline: { bucket: '1w_2w', days: 14, label: '2 weeks' },
      },
      startedAt: '',
    };
    const out = step(state, inputFromText('97%'), new Date());
    assert.equal(out.state?.answers.performance?.threshold, 0.97);
    assert.equal(out.state?.answers.performance?.value, 'no');
  });
});

describe('decide with measurements, through the engine (embedded database, recorded runs)', () => {
  let h: RecordingEngine;
  const here: ConversationRef = { platform: 'console', workspace: 'evidence', channel: 'c' };
  const text = (replies: Reply[]) =>
    replies
      .map((r) =>
        [
          r.text,
          ...(r.tables ?? []).flatMap((t) => [...t.rows.map((row) => row.join(' | ')), ...(t.notes ?? [])]),
        ].join('\n'),
      )
      .join('\n');
  const send = async (input: string) =>
    h.engine.handle({ kind: 'command', text: input, user: { id: 'ann' }, conversation: here });
  let jobId = '';

  before(async () => {
    h = await startRecordingEngine();
    await h.repositories.teams.ensure('console:evidence', { platform: 'console', externalId: 'evidence' });
    const job = await h.repositories.jobs.create({
      teamKey: 'console:evidence',
      conversationKey: 'console:evidence:c:',
      requesterId: 'ann',
      request: { model: 'tiny' },
      plan: {},
      runs: runs.map((r) => ({ task: r.task, method: r.method, seed: r.seed, learningRate: r.learningRate })),
    });
    for (const [i, run] of job.runs.entries())
      await h.repositories.jobs.updateRun(run.id, {
        state: 'completed',
        summary: runs[i]?.summary,
        finishedAt: new Date(),
      });
    await h.repositories.jobs.setState(job.id, 'completed', { finishedAt: new Date() });
    jobId = job.id;
  });
  after(async () => {
    await h.db.close();
  });

  it('a finished comparison ends with what it means for the decision and a button that runs decide', async () => {
    const job = await h.repositories.jobs.getById(jobId);
    assert.ok(job);
    const replies = await resultsReply(job);
    const section = replies.at(-1);
    assert.match(section?.text ?? '', /What this means for the decision/);
    assert.match(
      section?.text ?? '',
      /data_analysis: LoRA \d+\.\d\d vs full fine-tuning \d+\.\d\d of 10 \(5 of 5 criteria measured/,
    );
    assert.deepEqual(section?.buttons?.[0], {
      actionId: RUN_COMMAND_ACTION,
      value: `decide job=${jobId}`,
      label: 'Decide with these measurements',
    });
    const pressed = await h.engine.handle({
      kind: 'choice',
      actionId: RUN_COMMAND_ACTION,
      value: `decide job=${jobId}`,
      user: { id: 'bob' },
      conversation: here,
    });
    assert.match(text(pressed), /Measured here so far: customer_service \(job \w+\), data_analysis/);
  });

  it('decide job=<id> scores the measured criteria and checks the bar; an unknown job is refused', async () => {
    const started = await send(`decide job=${jobId}`);
    assert.match(text(started), /Question 1 of 9/);
    let last: Reply[] = started;
    const answers = ['$5k', '2 weeks', '90%', 'no', 'no', 'monthly', 'data analysis', 'just me', '7b'];
    // Follow-ups (domain shift, stage) come only when they would change the recommendation.
    for (let i = 0; i < answers.length + 2 && !/Recommendation:/.test(text(last)); i++)
      last = await h.engine.handle({
        kind: 'message',
        text: answers[i] ?? 'not sure',
        user: { id: 'ann' },
        conversation: here,
      });
    const out = text(last);
    assert.match(out, new RegExp(`measurements of comparison ${jobId} on data_analysis`));
    assert.match(out, /Performance \| measured \|/);
    assert.match(
      out,
      /LoRA reached \d+% ± \d+% of full fine-tuning's numeric accuracy on your data .*your 90% bar/,
    );
    const refused = await send('decide job=nosuch1');
    assert.match(text(refused), /Nothing was started: job: no job "nosuch1" in this workspace/);
  });
});
