/**
 * The largest things Faceoff posts to Discord, through the real discord.js client to the stand-in
 * that refuses what Discord refuses: the results of `compare task=all` with five seeds and every
 * optional section, a 3,000-character command, and the longest questionnaire a person can type.
 * Each must arrive whole: within every limit, tables shown or attached, no row cut.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { REPLY_FILE, TABLES_FILE } from '../../../bots/discord/render-reply';
import { renderPlainTable } from '../../../src/render/plain-text';
import { EVERY_ANSWER, LONG_COMMAND, worstResults } from '../../support/worst-case-replies';
import { isPost, slash, str, textOf } from './discord-calls';
import { type DiscordStack, startDiscordStack } from './discord-stack';
import { IDS, typedMessage } from './payloads';

describe('Discord worst cases (real discord.js client, limit-checking Discord stand-in)', () => {
  let s: DiscordStack;
  before(async () => {
    s = await startDiscordStack();
  });
  after(async () => {
    await s?.close();
  });

  it('the results of compare task=all with five seeds and every optional section: tables attached, nothing cut', async () => {
    const from = s.fake.calls.length;
    const replies = await worstResults();
    const results = replies[0];
    assert.ok(results?.tables?.length && results.images?.length && /Failed runs:/.test(results.text));
    for (const reply of replies)
      await s.notifier.post(`discord:${IDS.guild}:${IDS.channel}:${IDS.thread}`, reply);
    const posted = s.fake.calls.slice(from).filter(isPost(IDS.thread));
    assert.equal(posted.length, replies.length);
    s.fake.assertNoRejections();
    const [first] = posted;
    const names = first?.files.map((f) => f.name) ?? [];
    assert.ok(names.includes(TABLES_FILE), `tables.txt attached: ${names}`);
    const file = new TextDecoder().decode(first?.files.find((f) => f.name === TABLES_FILE)?.bytes);
    for (const table of results.tables)
      for (const line of renderPlainTable({ ...table, title: undefined }).split('\n'))
        assert.ok(file.includes(line), `row "${line}" whole in tables.txt`);
    const shown = textOf(first);
    assert.match(shown, /tables are attached as tables\.txt/);
    assert.match(shown, /QLoRA could not start: model m+/, 'the failed run is listed');
    if (names.includes(REPLY_FILE)) {
      const whole = new TextDecoder().decode(first?.files.find((f) => f.name === REPLY_FILE)?.bytes);
      assert.ok(whole.includes(`model ${'m'.repeat(3000)}`), 'the shortened text travels whole');
    }
  });

  it('a 3,000-character command, as a slash command and typed in a thread', async () => {
    const model = LONG_COMMAND.split('model=')[1] ?? '';
    const answer = await slash(
      s.fake,
      'compare',
      [str('task', 'customer_service'), str('model', model)],
      'alice',
      {
        thread: IDS.thread,
      },
    );
    assert.ok(textOf(answer.answer).length > 0);
    const from = s.fake.calls.length;
    s.fake.dispatch('MESSAGE_CREATE', typedMessage(`faceoff ${LONG_COMMAND}`, { thread: IDS.thread }));
    await s.fake.waitForCall(isPost(IDS.thread), from);
    await s.jobs.idle();
    s.fake.assertNoRejections();
  });

  it('the longest questionnaire a person can type: long unreadable answers, every question, why and what if', async () => {
    const r = await slash(s.fake, 'decide', [], 'alice', { thread: IDS.thread }, 'removed');
    await s.fake.waitForCall(isPost(IDS.thread), s.fake.calls.indexOf(r.callback));
    const say = async (text: string) => {
      const from = s.fake.calls.length;
      s.fake.dispatch('MESSAGE_CREATE', typedMessage(text, { thread: IDS.thread }));
      return s.fake.waitForCall(isPost(IDS.thread), from);
    };
    assert.match(textOf(await say(`purple ${'and also purple '.repeat(120)}`)), /couldn't use that answer/);
    let last = '';
    for (const answer of EVERY_ANSWER) last = textOf(await say(answer));
    assert.match(last, /Recommendation/);
    await say('why?');
    await say(
      `what if the budget were $20k and we had 10 variants and it had to be the best possible ${'x'.repeat(1800)}`,
    );
    await say(`actually we have 3 engineers ${'and a lot more to say '.repeat(80)}`);
    s.fake.assertNoRejections();
  });
});
