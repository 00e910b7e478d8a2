import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EVERY_ANSWER } from '../../support/worst-case-replies';
import { CHANNEL } from './support/slack-requests';
import { type SlackStack, startSlackStack } from './support/slack-stack';
import {
  blockText,
  channelPosts,
  elements,
  latestQuestion,
  threadPosts,
  updatesOf,
} from './support/thread-view';

/** Nine answers, the number of variants after "yes", and the domain question it makes matter. */
const TYPED = EVERY_ANSWER;

describe('Slack questionnaire (real Bolt app, local Slack stand-in)', () => {
  let s: SlackStack;
  before(async () => {
    s = await startSlackStack();
  });
  after(async () => {
    await s?.close();
  });

  /** `/faceoff decide`: the root message's ts, which is the questionnaire's thread. */
  async function decide(channel = CHANNEL): Promise<string> {
    const answer = await s.command('decide', { channel_id: channel });
    assert.equal(answer.status, 200);
    await s.settle();
    const root = channelPosts(s.fake, channel).at(-1);
    assert.ok(root, 'a root message in the channel');
    assert.match(root.text, /is deciding/);
    return root.ts;
  }

  it('runs the whole questionnaire through buttons and a select, replacing pressed buttons by the answer', async () => {
    const thread = await decide();
    // Nine questions, and the follow-ups the first answers make matter (how many variants).
    for (
      let n = 1;
      n <= 12 && !threadPosts(s.fake, thread).some((p) => p.text.startsWith('Recommendation:'));
      n++
    ) {
      const question = latestQuestion(s.fake, thread);
      assert.equal(question.number, n);
      assert.match(question.text, new RegExp(`Question ${n} of \\d+`));
      const controls = elements(question.blocks);
      const labels = controls.map((e) => e.text?.text);
      assert.ok(labels.includes('Restart') && labels.includes('Cancel'), `navigation on question ${n}`);
      assert.equal(labels.includes('Back'), n > 1, `back button on question ${n}`);
      const select = controls.find((e) => e.type === 'static_select');
      const payload = select
        ? s.payloads.selectChoice(
            { ts: question.ts, thread },
            select.action_id,
            select.options?.[0]?.value ?? '',
          )
        : (() => {
            const first = controls.find((e) => e.action_id.startsWith('decide:answer'));
            assert.ok(first, `an answer button on question ${n}`);
            return s.payloads.buttonPress({ ts: question.ts, thread }, first.action_id, first.value ?? '');
          })();
      if (/Which task/.test(question.text))
        assert.ok(select, 'the task question (6 choices) is a static select');
      assert.equal((await s.interact(payload)).status, 200);
      await s.settle();
      const [answered] = updatesOf(s.fake, question.ts);
      assert.ok(answered, `question ${n} replaced by its answer`);
      assert.match(answered.text, /^Question \d+ of \d+/);
      assert.match(blockText(answered.blocks), /\n> /);
      assert.equal(elements(answered.blocks).length, 0, 'the answered question has no buttons left');
    }
    const posts = threadPosts(s.fake, thread);
    const verdict = posts.find((p) => p.text.startsWith('Recommendation:'));
    assert.ok(verdict, 'the recommendation is posted in the thread');
    const text = blockText(verdict.blocks);
    assert.ok(
      verdict.blocks.some((b) => b.fields?.length),
      'answers as fields',
    );
    assert.match(text, /```\n[\s\S]*Criterion[\s\S]*```/, 'the score table as a code block');
    assert.ok(posts.some((p) => p.text.startsWith('Your 3-week plan')));
    const completed = s.fake.callsTo('files.completeUploadExternal').at(-1);
    assert.ok(completed, 'the score chart uploaded');
    assert.equal(completed.args.thread_ts, thread);
    assert.equal(completed.args.channel_id, CHANNEL);
    assert.ok(s.fake.uploads.some((u) => u.bytes > 0));
    assert.deepEqual(s.logs, []);
  });

  it('runs the whole questionnaire through answers typed in the thread', async () => {
    const thread = await decide();
    for (const [i, text] of TYPED.entries()) {
      const question = latestQuestion(s.fake, thread);
      assert.equal(question.number, i + 1);
      assert.equal((await s.event(s.payloads.threadMessage(text, thread))).status, 200);
      await s.settle();
      assert.equal(updatesOf(s.fake, question.ts).length, 1, `question ${i + 1} replaced once`);
    }
    const verdict = threadPosts(s.fake, thread).find((p) => p.text.startsWith('Recommendation:'));
    assert.ok(verdict);
    assert.match(blockText(verdict.blocks), /about \$5k|\$5,000/);
  });

  it('explains an answer it cannot read, and goes back, restarts and cancels from buttons', async () => {
    const thread = await decide();
    await s.event(s.payloads.threadMessage('purple', thread));
    await s.settle();
    assert.match(latestQuestion(s.fake, thread).text, /couldn't use that answer/);
    await s.event(s.payloads.threadMessage('<@UFACEOFF1> $5k', thread));
    await s.settle();
    const second = latestQuestion(s.fake, thread);
    assert.equal(second.number, 2);
    const back = elements(second.blocks).find((e) => e.text?.text === 'Back');
    assert.ok(back);
    await s.interact(s.payloads.buttonPress({ ts: second.ts, thread }, back.action_id, back.value ?? ''));
    await s.settle();
    assert.equal(latestQuestion(s.fake, thread).number, 1);
    const retired = updatesOf(s.fake, second.ts).at(-1);
    assert.ok(retired && elements(retired.blocks).length === 0, 'the superseded question lost its buttons');
    const first = latestQuestion(s.fake, thread);
    const cancel = elements(first.blocks).find((e) => e.text?.text === 'Cancel');
    assert.ok(cancel);
    await s.interact(s.payloads.buttonPress({ ts: first.ts, thread }, cancel.action_id, cancel.value ?? ''));
    await s.settle();
    assert.match(threadPosts(s.fake, thread).at(-1)?.text ?? '', /Questionnaire cancelled/);
  });

  it('takes one answer per question message: a double click does not answer the next question', async () => {
    const thread = await decide();
    const question = latestQuestion(s.fake, thread);
    const button = elements(question.blocks).find((e) => e.action_id.startsWith('decide:answer'));
    assert.ok(button);
    const press = () =>
      s.interact(s.payloads.buttonPress({ ts: question.ts, thread }, button.action_id, button.value ?? ''));
    await Promise.all([press(), press()]);
    await s.settle();
    assert.equal(updatesOf(s.fake, question.ts).length, 1);
    assert.equal(latestQuestion(s.fake, thread).number, 2);
    assert.equal(threadPosts(s.fake, thread).filter((p) => /Question 2 of 9/.test(p.text)).length, 1);
  });

  it('ignores messages in threads that are not Faceoff conversations', async () => {
    const before = s.fake.calls.length;
    await s.event(s.payloads.threadMessage('yes', '1700000000.000001', { parent_user_id: 'U0SOMEONE' }));
    await s.settle();
    assert.deepEqual(
      s.fake.calls.slice(before).map((c) => c.method),
      [],
    );
  });
});
