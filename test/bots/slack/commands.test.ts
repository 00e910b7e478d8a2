import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../support/harness';
import { latestJobIn } from '../../support/job-lookup';
import { ALICE, CHANNEL, form, SIGNING_SECRET, TEAM } from './support/slack-requests';
import { type SlackStack, startSlackStack } from './support/slack-stack';
import { blockText, channelPosts, threadPosts } from './support/thread-view';

const BOB = 'U0BOB0001';
const JOB = 'compare task=customer_service model=tiny seeds=1 max_steps=6 lr_sweep=off methods=lora';

describe('Slack /faceoff subcommands (real Bolt app over HTTP, signed requests)', () => {
  let s: SlackStack;
  let jobId: string;
  before(async () => {
    s = await startSlackStack();
  });
  after(async () => {
    await s?.close();
  });

  const ephemerals = () =>
    s.fake.responses.filter((r) => r.response_type === 'ephemeral').map((r) => String(r.text));
  const lastEphemeral = () => ephemerals().at(-1) ?? '';
  const lastChannelPost = (channel = CHANNEL) => channelPosts(s.fake, channel).at(-1);

  async function run(text: string, over: Record<string, unknown> = {}) {
    const answer = await s.command(text, over);
    assert.equal(answer.status, 200);
    assert.equal(answer.text, '', 'acknowledged with an empty body: replies follow through the Web API');
    await s.settle();
  }

  it('help and unknown subcommands answer only the user', async () => {
    await run('help');
    assert.match(lastEphemeral(), /\/faceoff decide/);
    assert.match(lastEphemeral(), /\/faceoff compare task=/);
    await run('frobnicate');
    assert.match(lastEphemeral(), /Unknown subcommand "frobnicate"/);
    await run('');
    assert.match(lastEphemeral(), /\/faceoff help/);
    // A command's own help: no form, no thread, no refusal, only the user sees it.
    await run('compare help');
    assert.match(lastEphemeral(), /^\/faceoff compare: run LoRA and full fine-tuning/);
    assert.match(lastEphemeral(), /• seeds: .*A whole number from 1 to 5\./);
    assert.equal(s.fake.callsTo('views.open').length, 0, 'no form opened');
    assert.equal(channelPosts(s.fake, CHANNEL).length, 0, 'nothing in the channel');
  });

  it('cost and tasks answer in the channel with tables as code blocks', async () => {
    await run('cost preset=article');
    assert.match(lastChannelPost()?.text ?? '', /Cost model/);
    assert.match(blockText(lastChannelPost()?.blocks ?? []), /```\nItem +Full FT +LoRA/);
    await run('cost gpu_rate=banana');
    assert.match(lastEphemeral(), /gpu_rate|unknown|not/i);
    await run('tasks');
    assert.match(blockText(lastChannelPost()?.blocks ?? []), /customer_service +Medium/);
  });

  it('decide starts a thread under a new channel message', async () => {
    await run('decide');
    const root = lastChannelPost();
    assert.ok(root);
    assert.match(root.text, new RegExp(`<@${ALICE}> is deciding`));
    assert.match(threadPosts(s.fake, root.ts)[0]?.text ?? '', /Question 1 of 9/);
    assert.ok(
      s.fake.callsTo('conversations.join').some((c) => c.args.channel === CHANNEL),
      'joined the public channel so typed answers arrive',
    );
  });

  it('compare queues a job in a new thread; jobs, status and results report on it', async () => {
    await run(JOB);
    const root = lastChannelPost();
    assert.ok(root);
    assert.match(root.text, /asked for `\/faceoff compare /);
    const queued = threadPosts(s.fake, root.ts).find((p) => /Comparison \w+ queued/.test(p.text));
    assert.ok(queued, 'queued reply in the thread');
    jobId = await latestJobIn(s.repositories, {
      platform: 'slack',
      workspace: TEAM,
      channel: CHANNEL,
      thread: root.ts,
    });
    assert.match(queued.text, new RegExp(`Comparison ${jobId} queued`));
    await s.jobs.idle();
    await waitFor(
      'the completion notice',
      async () => threadPosts(s.fake, root.ts).some((p) => p.text.includes('finished')),
      30_000,
    );
    await run('jobs');
    assert.match(blockText(lastChannelPost()?.blocks ?? []), new RegExp(jobId));
    await run(`status ${jobId}`);
    assert.match(lastChannelPost()?.text ?? '', new RegExp(`Comparison ${jobId}: completed`));
    await run(`results ${jobId}`);
    assert.match(lastChannelPost()?.text ?? '', new RegExp(`Results of ${jobId}`));
    await run('status nosuchjob');
    assert.match(lastEphemeral(), /No job "nosuchjob"/);
  });

  it('cancel and retry: refusals and nothing-to-do answers go to the user only', async () => {
    await run(`cancel ${jobId}`, { user_id: BOB, user_name: 'bob' });
    assert.match(lastEphemeral(), new RegExp(`Only ${ALICE} .* can cancel it`));
    await run(`cancel ${jobId}`);
    assert.match(lastEphemeral(), /has no queued or running runs/);
    await run(`retry ${jobId}`);
    assert.match(lastEphemeral(), /has no failed or cancelled runs/);
  });

  it('subscribe and unsubscribe a channel', async () => {
    await run('subscribe', { channel_id: 'C0NOTICES1' });
    assert.match(lastChannelPost('C0NOTICES1')?.text ?? '', /will get completion and failure notices/);
    await run('subscribe', { channel_id: 'C0NOTICES1' });
    assert.match(lastChannelPost('C0NOTICES1')?.text ?? '', /already subscribed/);
    await run('unsubscribe', { channel_id: 'C0NOTICES1' });
    assert.match(lastChannelPost('C0NOTICES1')?.text ?? '', /no longer get job notices/);
  });

  it('rejects a bad signature, a stale timestamp and unsigned requests with 401, handling nothing', async () => {
    const before = s.fake.calls.length;
    const body = form(s.payloads.slashCommand('tasks'));
    const type = 'application/x-www-form-urlencoded';
    assert.equal((await s.post(body, type, { secret: 'not-the-signing-secret' })).status, 401);
    assert.equal(
      (await s.post(body, type, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status,
      401,
    );
    const unsigned = await fetch(`http://127.0.0.1:${s.adapter.port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    });
    assert.equal(unsigned.status, 401);
    await s.settle();
    assert.equal(s.fake.calls.length, before, 'no Web API call was made');
    assert.ok(SIGNING_SECRET.length > 0);
    const challenge = await s.event({ type: 'url_verification', token: 'x', challenge: 'c0ffee' });
    assert.equal(challenge.status, 200);
    assert.match(challenge.text, /c0ffee/);
  });

  it('never echoes or logs the secrets', () => {
    // Only what is shown to people: the token argument of auth.test goes to Slack itself.
    const shown = s.fake.calls.map(({ args: { token: _token, ...rest } }) => rest);
    const everything = JSON.stringify([shown, s.fake.responses, s.logs]);
    assert.ok(!everything.includes(SIGNING_SECRET));
    const where = everything.indexOf('xoxb-');
    assert.equal(where, -1, `a bot token in: ${everything.slice(Math.max(0, where - 200), where + 40)}`);
  });
});
