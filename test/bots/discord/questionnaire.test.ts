import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EVERY_ANSWER } from '../../support/worst-case-replies';
import { customIds, isEdit, isEphemeral, isPost, messageIdOf, slash, textOf } from './discord-calls';
import { type DiscordStack, startDiscordStack } from './discord-stack';
import type { RestCall } from './fake-discord';
import { componentPress, IDS, type Person, typedMessage } from './payloads';

/** Nine answers, the number of variants after "yes", and the domain question it makes matter. */
const TYPED = EVERY_ANSWER;

describe('the questionnaire in Discord threads and DMs (real discord.js client, local Discord)', () => {
  let s: DiscordStack;
  before(async () => {
    s = await startDiscordStack();
  });
  after(async () => {
    await s?.close();
  });

  const press = async (customId: string, message: RestCall, channelId: string, who: Person = 'alice') => {
    const from = s.fake.calls.length;
    const { id, token } = s.fake.interact(
      componentPress(customId, { id: messageIdOf(message), channelId }, who),
    );
    const ack = await s.fake.waitForCall((c) => c.path === `/interactions/${id}/${token}/callback`, from);
    assert.equal(ack.body?.type, 6, 'a press is acknowledged with a deferred update');
    return { from, token };
  };
  const type = (text: string, where: { thread?: string; dm?: boolean }) => {
    const from = s.fake.calls.length;
    const payload = typedMessage(text, where);
    s.fake.dispatch('MESSAGE_CREATE', payload);
    return { from, payload };
  };
  const answered = async (channelId: string, question: RestCall, from: number) => {
    const edit = await s.fake.waitForCall(isEdit(channelId, messageIdOf(question)), from);
    assert.deepEqual(edit.body?.components, [], 'the answered question loses its buttons');
    return edit;
  };

  it('buttons, one question at a time in a new thread, ending in an embed with the score chart', async () => {
    const from = s.fake.calls.length;
    await slash(s.fake, 'decide');
    const created = await s.fake.waitForCall((c) => c.method === 'POST' && c.path.endsWith('/threads'), from);
    const thread = (created.response as { id: string }).id;
    let question = await s.fake.waitForCall(isPost(thread), from);
    // Nine questions, and the follow-ups the first answers make matter (how many variants).
    let answeredCount = 0;
    for (let i = 0; i < 12; i++) {
      assert.match(textOf(question), new RegExp(`Question ${i + 1} of \\d+`));
      const answer = customIds(question).find((id) => id.startsWith('faceoff|decide:answer|'));
      assert.ok(answer);
      const { from: pressed } = await press(answer, question, thread);
      assert.match(textOf(await answered(thread, question, pressed)), /\n> \S/);
      answeredCount += 1;
      const next = await s.fake.waitForCall(isPost(thread), pressed);
      if (!/Recommendation/.test(textOf(next))) {
        question = next;
        continue;
      }
      const embeds = next.body?.embeds as {
        fields?: unknown[];
        title?: string;
        description?: string;
      }[];
      assert.ok(answeredCount >= 9);
      assert.equal(embeds[0]?.fields?.length, answeredCount, 'every answer as a field');
      assert.ok(
        embeds.some((e) => e.title?.startsWith('Weighted scores') && e.description?.startsWith('```')),
      );
      const chart = await s.fake.waitForCall((c) => isPost(thread)(c) && c.files.length > 0, pressed);
      assert.equal(chart.files[0]?.name, 'decision-scores.png');
      assert.equal(chart.files[0]?.type, 'image/png');
      assert.deepEqual((chart.body?.embeds as { image?: { url: string } }[] | undefined)?.[0]?.image, {
        url: 'attachment://decision-scores.png',
      });
      return;
    }
    assert.fail('no recommendation after twelve questions');
  });

  it('typed answers in an existing thread; the conversation survives a dropped gateway connection (resume, replay, no duplicates)', async () => {
    const r = await slash(s.fake, 'decide', [], 'alice', { thread: IDS.thread }, 'removed');
    let question = await s.fake.waitForCall(isPost(IDS.thread), s.fake.calls.indexOf(r.callback));
    for (const [i, text] of TYPED.entries()) {
      assert.match(textOf(question), new RegExp(`Question ${i + 1} of \\d+`));
      if (i === 4) {
        s.fake.dropConnections();
        const { from, payload } = type(text, { thread: IDS.thread });
        await s.fake.waitForOp(6);
        await answered(IDS.thread, question, from);
        question = await s.fake.waitForCall(isPost(IDS.thread), from);
        const again = s.fake.calls.length;
        s.fake.dispatch('MESSAGE_CREATE', payload);
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(
          s.fake.calls.slice(again).filter((c) => c.path.startsWith(`/channels/${IDS.thread}/messages`))
            .length,
          0,
          'a re-delivered message is handled once',
        );
        continue;
      }
      const { from } = type(text, { thread: IDS.thread });
      await answered(IDS.thread, question, from);
      question = await s.fake.waitForCall(isPost(IDS.thread), from);
    }
    assert.match(textOf(question), /Recommendation/);
    assert.equal(
      s.fake.received.filter((f) => f.op === 2).length,
      1,
      'identified once: the session was resumed, not restarted',
    );
    assert.equal(s.fake.received.filter((f) => f.op === 6).length, 1);
  });

  it('back, restart and cancel; a button of an ended questionnaire answers privately', async () => {
    const from = s.fake.calls.length;
    await slash(s.fake, 'decide', [], 'bob');
    const created = await s.fake.waitForCall((c) => c.method === 'POST' && c.path.endsWith('/threads'), from);
    const thread = (created.response as { id: string }).id;
    const first = await s.fake.waitForCall(isPost(thread), from);
    const yes = customIds(first).find((id) => id.startsWith('faceoff|decide:answer|')) ?? '';
    const afterFirst = (await press(yes, first, thread, 'bob')).from;
    const second = await s.fake.waitForCall(isPost(thread), afterFirst);
    assert.match(textOf(second), /Question 2 of 9/);
    assert.ok(customIds(second).includes('faceoff|decide:nav|back'));

    const back = (await press('faceoff|decide:nav|back', second, thread, 'bob')).from;
    const again = await s.fake.waitForCall(
      (c) => isPost(thread)(c) && /Question 1 of 9/.test(textOf(c)),
      back,
    );
    const retired = await s.fake.waitForCall(isEdit(thread, messageIdOf(second)), back);
    assert.deepEqual(retired.body?.components, [], 'only the newest question keeps working buttons');

    const restart = s.fake.calls.length;
    s.fake.dispatch('MESSAGE_CREATE', typedMessage('restart', { thread }, 'bob'));
    const restarted = await s.fake.waitForCall(
      (c) => isPost(thread)(c) && /Question 1 of 9/.test(textOf(c)),
      restart,
    );
    const cancelled = (await press('faceoff|decide:nav|cancel', restarted, thread, 'bob')).from;
    assert.match(textOf(await s.fake.waitForCall(isPost(thread), cancelled)), /Questionnaire cancelled/);

    const { token } = await press(customIds(again)[0] ?? '', again, thread, 'bob');
    const late = await s.fake.waitForCall(isEphemeral(token));
    assert.match(textOf(late), /ended or expired/);
  });

  it('in a DM the DM channel is the conversation', async () => {
    const r = await slash(s.fake, 'decide', [], 'alice', { dm: true }, 'removed');
    const question = await s.fake.waitForCall(isPost(IDS.dm), s.fake.calls.indexOf(r.callback));
    assert.match(textOf(question), /Question 1 of 9/);
    const { from } = type('about $500', { dm: true });
    assert.match(textOf(await answered(IDS.dm, question, from)), /> /);
    const second = await s.fake.waitForCall(isPost(IDS.dm), from);
    assert.match(textOf(second), /Question 2 of 9/);
    const pressFrom = s.fake.calls.length;
    s.fake.interact(
      componentPress(customIds(second)[0] ?? '', { id: messageIdOf(second), channelId: IDS.dm }),
    );
    await answered(IDS.dm, second, pressFrom);
    const third = await s.fake.waitForCall(isPost(IDS.dm), pressFrom);
    assert.match(textOf(third), /Question 3 of 9/);
    const menuFrom = s.fake.calls.length;
    const choice = customIds(third)[1]?.split('|')[2] ?? '';
    s.fake.interact(
      componentPress('faceoff|decide:answer|', { id: messageIdOf(third), channelId: IDS.dm }, 'alice', [
        choice,
      ]),
    );
    assert.match(textOf(await answered(IDS.dm, third, menuFrom)), /> \S/, 'a select menu choice answers too');
    assert.match(textOf(await s.fake.waitForCall(isPost(IDS.dm), menuFrom)), /Question 4 of 9/);
    const session = await s.repositories.sessions.load(
      'discord:dm',
      `discord:dm:${IDS.dm}:`,
      '1100000000000000201',
      new Date(),
    );
    assert.ok(session, 'stored under workspace dm and the DM channel');
  });
});
