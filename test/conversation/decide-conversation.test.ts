/**
 * `decide` through the conversation engine on the embedded database: a whole project in the
 * command itself (apostrophes and all), the finished answers kept for the session's time to live
 * for "why", "what if" and corrections, and a new questionnaire after a finished one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConversationRef } from '../../src/chat/conversation';
import type { IncomingEvent } from '../../src/chat/incoming';
import type { Reply } from '../../src/chat/replies';
import { decideRequest } from '../../src/conversation/decide-request';
import { ConversationEngine } from '../../src/conversation/engine';
import {
  createRepositories,
  type Database,
  openDatabase,
  type Repositories,
} from '../../src/persistence/index';

const TTL_MS = 3_600_000;
const here: ConversationRef = { platform: 'console', workspace: 'talk', channel: 'c' };
const text = (replies: Reply[]) => replies.map((r) => r.text).join('\n');

describe('decide through the engine', () => {
  let db: Database;
  let repositories: Repositories;
  let engine: ConversationEngine;
  let clock = new Date('2026-01-07T12:00:00Z');

  before(async () => {
    db = await openDatabase({ url: 'memory:' });
    repositories = createRepositories(db.prisma);
    engine = new ConversationEngine({
      sessions: repositories.sessions,
      decisions: repositories.decisions,
      teams: repositories.teams,
      sessionTtlMs: TTL_MS,
      clock: () => clock,
    });
  });
  after(async () => {
    await db.close();
  });

  const command = (line: string, user = 'ann') =>
    engine.handle({ kind: 'command', text: line, user: { id: user }, conversation: here });
  const say = (line: string, user = 'ann') =>
    engine.handle({ kind: 'message', text: line, user: { id: user }, conversation: here });

  it('reads the project from the command, apostrophes included, and asks only the rest', async () => {
    const replies = await command(
      "/faceoff decide we've got about $5k and two weeks, a 7B model, a support bot with one variant per client, retrained monthly",
    );
    const out = text(replies);
    assert.match(out, /From your message:/);
    for (const topic of [
      'Budget: \\$5,000',
      'Timeline: 2 weeks',
      'Model: 7B',
      'Task: Customer service',
      'Updates: Every month',
    ])
      assert.match(out, new RegExp(topic));
    assert.match(replies.at(-1)?.text ?? '', /Question 3 of 10/);
  });

  it('keeps a finished questionnaire for why, what if and corrections until it expires', async () => {
    for (const line of [
      'yes, that is fine',
      'no, just new knowledge',
      'about 12',
      'just me',
      'no, everyday English',
    ])
      await say(line);
    const stored = await repositories.sessions.load('console:talk', 'console:talk:c:', 'ann', clock);
    assert.ok(stored, 'the finished questionnaire is stored');
    assert.ok((stored.state as { finishedAt?: string }).finishedAt, 'as finished');
    assert.equal(stored.expiresAt.getTime(), clock.getTime() + TTL_MS);
    assert.match(text(await say('why?')), /\*Why LoRA\*/);
    assert.match(
      text(await say('what if we needed the best possible')),
      /The recommendation flips: LoRA -> \*Hybrid\*/,
    );
    const corrected = await say('actually we need the best possible');
    assert.match(text(corrected), /The recommendation changes: LoRA -> Hybrid/);
    const recent = await repositories.decisions.listRecent('console:talk', 5);
    assert.deepEqual(
      recent.map((d) => d.recommendation),
      ['hybrid', 'lora'],
      'both decisions recorded',
    );
    clock = new Date(clock.getTime() + TTL_MS + 1);
    assert.deepEqual(
      await say('why?'),
      [],
      'expired with the same time to live as a questionnaire in progress',
    );
  });

  it('decide after a finished questionnaire starts a new one', async () => {
    const done = await command(
      '/faceoff decide $800, asap, 7b, support bot, just me, weekly, no variants, 95% is fine, just new knowledge, everyday English',
    );
    assert.match(text(done), /Recommendation: LoRA/, 'one message can answer everything');
    const next = await command('/faceoff decide', 'ann');
    assert.doesNotMatch(text(next), /Picking up where you left off/);
    assert.match(text(next), /Question 1 of 9/);
  });
});

describe('what decide is asked for', () => {
  const event = (line: string): IncomingEvent => ({
    kind: 'command',
    text: line,
    user: { id: 'u' },
    conversation: here,
  });
  it('a job, a description, or both; quotes from a platform form are dropped', () => {
    assert.deepEqual(decideRequest(event('/faceoff decide')), {});
    assert.deepEqual(decideRequest(event('/faceoff decide job=abc2345')), { jobId: 'abc2345' });
    assert.deepEqual(decideRequest(event('decide abc2345')), { jobId: 'abc2345' });
    assert.deepEqual(decideRequest(event('/faceoff decide we have $5k')), { text: 'we have $5k' });
    assert.deepEqual(decideRequest(event('decide job=abc2345 "we don\'t know the budget"')), {
      jobId: 'abc2345',
      text: "we don't know the budget",
    });
    assert.deepEqual(decideRequest(event('decide monthly')), { text: 'monthly' }, 'a word is not a job id');
  });
});
