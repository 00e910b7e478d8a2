/**
 * The hybrid plan's outcomes, computed from recorded tiny-model runs, rendered the way each
 * platform shows them: Slack blocks, a Discord embed and the console's plain text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderReply as renderDiscord } from '../../bots/discord/render-reply';
import { renderReply as renderSlack } from '../../bots/slack/render/blocks';
import type { ComparisonPlan } from '../../src/comparison/plan';
import type { ComparisonRequest } from '../../src/comparison/request';
import { nextStage } from '../../src/comparison/stages';
import { evidenceFromRuns } from '../../src/decision/evidence';
import { weekOne } from '../../src/decision/plan';
import { decide } from '../../src/decision/recommendation';
import { renderPlainReply } from '../../src/render/plain-text';
import { loadFixtureRuns } from '../fixtures/runs/load';

const runs = loadFixtureRuns((s) => s.task === 'data_analysis');
const request: ComparisonRequest = {
  task: { kind: 'suites', tasks: ['data_analysis' as never] },
  model: 'tiny',
  methods: ['lora', 'full'],
  seeds: 3,
  maxSteps: 60,
  lrSweep: false,
  gpus: 0,
};
const plan: ComparisonPlan = {
  tasks: ['data_analysis'],
  methods: ['lora', 'full'],
  seeds: [0, 1, 2],
  learningRates: { lora: [0.003], full: [0.001] },
  lrTuned: false,
  maxSteps: 60,
  runs: [],
  staging: { kind: 'hybrid', target: 0.05 },
  upcoming: [0, 1, 2].map((seed) => ({ task: 'data_analysis', method: 'full', seed })),
};

describe('the hybrid plan on every platform', () => {
  const verdict = nextStage({ request, plan, runs }).verdict;
  const gate = nextStage({ request, plan, runs: runs.filter((r) => r.method === 'lora') });

  it('Slack: the final verdict and the stage-1 outcome as mrkdwn sections', () => {
    assert.ok(verdict);
    const message = JSON.stringify(renderSlack(verdict));
    assert.match(message, /Plan finished after stage 2/);
    assert.match(message, /Gap \(full - LoRA, paired by seed\): \+0\.011/);
    const stage = JSON.stringify(renderSlack({ text: gate.outcome ?? '' }));
    assert.match(stage, /lora did not reach the target 0\.05/);
  });

  it('Discord: within its embed limits', () => {
    assert.ok(verdict);
    const payload = renderDiscord(verdict);
    const text = JSON.stringify(payload);
    assert.match(text, /Plan finished after stage 2/);
    assert.ok(text.length < 6000);
  });

  it('console: plain text, and the Start week 1 button shown with its command', () => {
    assert.ok(verdict);
    const plain = renderPlainReply(verdict);
    assert.match(plain, /Recommendation: LoRA: neither method met the target/);
    const [evidence] = evidenceFromRuns('abc1234', runs);
    const week1 = weekOne({}, decide({}, evidence));
    const shown = renderPlainReply({ text: week1.line, buttons: week1.buttons });
    assert.match(shown, /\/faceoff plan task=data_analysis model=tiny target=0\.029/);
    assert.match(shown, /\[Start week 1\]/);
  });
});
