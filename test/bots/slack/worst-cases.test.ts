/**
 * The largest things Faceoff posts to Slack, through the real Bolt app and WebClient to the
 * stand-in that refuses what Slack refuses: the results of `compare task=all` with five seeds and
 * every optional section, a 3,000-character command, and the longest questionnaire a person can
 * type. Each must arrive whole: within every limit, tables shown or attached, no row cut.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { blocksText, MESSAGE_TEXT_BUDGET, tableText } from '../../../bots/slack/render/blocks';
import { escapeText } from '../../../bots/slack/render/mrkdwn';
import { EVERY_ANSWER, LONG_COMMAND, worstResults } from '../../support/worst-case-replies';
import { SLACK_LIMITS } from './support/slack-limits';
import { ALICE, CHANNEL, TEAM } from './support/slack-requests';
import { assertNoRejections, type SlackStack, startSlackStack } from './support/slack-stack';
import { blockText, channelPosts, latestQuestion, type PostedView, threadPosts } from './support/thread-view';

/** Every message's own limits: the stand-in refused nothing and each stays under the text budget. */
function assertFits(s: SlackStack, posts: PostedView[]): void {
  assertNoRejections(s.fake);
  for (const post of posts) {
    const text = blocksText(post.blocks as never);
    assert.ok(text <= MESSAGE_TEXT_BUDGET, `${text} characters of block text in ${post.ts}`);
    assert.ok(post.blocks.length <= 50);
  }
}

describe('Slack worst cases (real Bolt app, limit-checking Slack stand-in)', () => {
  let s: SlackStack;
  before(async () => {
    s = await startSlackStack({ config: { dispatchers: [ALICE] } });
  });
  after(async () => {
    await s?.close();
  });

  it('the results of compare task=all with five seeds and every optional section: split or attached, nothing cut', async () => {
    const thread = '1712000000.000100';
    const replies = await worstResults();
    const results = replies[0];
    assert.ok(results?.tables?.length && results.images?.length && /Failed runs:/.test(results.text));
    assert.ok(replies[1]?.buttons?.length, 'the decision section with its button');
    for (const reply of replies) await s.notifier.post(`slack:${TEAM}:${CHANNEL}:${thread}`, reply);
    await s.settle();
    const posts = threadPosts(s.fake, thread);
    assertFits(s, posts);
    const shown = posts.map((p) => blockText(p.blocks)).join('\n');
    const titles = s.fake
      .callsTo('files.completeUploadExternal')
      .flatMap((c) => (c.args.files as { title: string }[]).map((f) => f.title));
    const uploaded = s.fake.uploads.map((u) => u.content).join('\n');
    let attached = 0;
    for (const table of results.tables) {
      const lines = tableText(table).split('\n');
      if (titles.includes(table.title ?? '')) {
        attached++;
        for (const line of lines) assert.ok(uploaded.includes(line), `row "${line}" whole in its file`);
        assert.match(shown, new RegExp(`${table.rows.length} rows\\) is attached below as`));
      } else {
        for (const line of lines)
          assert.ok(shown.includes(escapeText(line)), `row "${line}" whole in a block`);
      }
    }
    assert.ok(attached > 0, 'the largest tables travel as files');
    assert.ok(titles.includes('Loss curves') && titles.includes('Cost'), 'the charts too');
    assert.match(shown, /QLoRA could not start: model m+/, 'the failed run is listed');
  });

  it('a reply longer than one message continues in further messages in the thread, every line whole and in order', async () => {
    const thread = '1712000000.000200';
    const lines = Array.from({ length: 900 }, (_, i) => `finding ${i}: val loss ${(2 + i / 7).toFixed(6)}`);
    await s.notifier.post(`slack:${TEAM}:${CHANNEL}:${thread}`, { text: lines.join('\n') });
    await s.settle();
    const posts = threadPosts(s.fake, thread);
    assert.ok(posts.length > 1, `${posts.length} messages`);
    assertFits(s, posts);
    const shown = posts
      .flatMap((p) => blockText(p.blocks).split('\n'))
      .filter((l) => l.startsWith('finding'));
    assert.deepEqual(shown, lines);
  });

  it('a 3,000-character command: the thread root quotes a marked excerpt of it', async () => {
    const answer = await s.command(LONG_COMMAND);
    assert.equal(answer.status, 200);
    await s.settle();
    const root = channelPosts(s.fake, CHANNEL).at(-1);
    assert.ok(root);
    const text = blockText(root.blocks);
    assert.ok(text.length < SLACK_LIMITS.sectionText, `${text.length} characters`);
    assert.match(text, /`\/faceoff compare task=customer_service model=m+…`/);
    await s.jobs.idle();
    await s.settle();
    assertFits(s, [...channelPosts(s.fake, CHANNEL), ...threadPosts(s.fake, root.ts)]);
  });

  it('the longest questionnaire a person can type: long unreadable answers, every question, why and what if', async () => {
    await s.command('decide');
    await s.settle();
    const root = channelPosts(s.fake, CHANNEL).at(-1);
    assert.ok(root);
    const thread = root.ts;
    const say = async (text: string) => {
      assert.equal((await s.event(s.payloads.threadMessage(text, thread))).status, 200);
      await s.settle();
    };
    await say(`purple ${'and also purple '.repeat(190)}`);
    assert.match(latestQuestion(s.fake, thread).text, /couldn't use that answer/);
    for (const answer of EVERY_ANSWER) await say(answer);
    assert.ok(threadPosts(s.fake, thread).some((p) => p.text.startsWith('Recommendation:')));
    await say('why?');
    await say(
      `what if the budget were $20k and we had 10 variants and it had to be the best possible ${'x'.repeat(2500)}`,
    );
    await say(`actually we have 3 engineers ${'and a lot more to say '.repeat(120)}`);
    assertFits(s, threadPosts(s.fake, thread));
  });
});
