import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { spellings } from '../../support/command-spellings';
import { waitFor } from '../../support/harness';
import { latestJobIn } from '../../support/job-lookup';
import { BOT_TOKEN } from './support/fake-slack';
import { ALICE, CHANNEL, form, TEAM } from './support/slack-requests';
import { type SlackStack, startSlackStack } from './support/slack-stack';
import { blockText, channelPosts, elements, threadPosts, updatesOf } from './support/thread-view';

const BOB = 'U0BOB0001';
const CAROL = 'U0CAROL01';
const GROUP = 'S0GPUUSERS';
const COMPARE = 'compare task=customer_service model=tiny seeds=1 max_steps=6 lr_sweep=off';
const DATASET = Array.from(
  { length: 40 },
  (_, i) => `{"prompt":"question ${i}","completion":"answer ${i}"}`,
).join('\n');

describe('Slack comparisons: form, jobs, notices, datasets, permissions, retries', () => {
  let s: SlackStack;
  before(async () => {
    s = await startSlackStack({ config: { dispatchers: [ALICE], dispatchGroup: GROUP } });
    s.fake.userGroups.set(GROUP, [CAROL]);
  });
  after(async () => {
    await s?.close();
  });

  const lastRoot = (channel = CHANNEL) => channelPosts(s.fake, channel).at(-1);
  const queuedId = (thread: string) =>
    latestJobIn(s.repositories, { platform: 'slack', workspace: TEAM, channel: CHANNEL, thread });
  const jobCount = async () => (await s.repositories.jobs.listRecent(`slack:${TEAM}`, 100)).length;

  it('runs a comparison: progress edited in place, results and charts uploaded to the thread, subscribers told', async () => {
    await s.command('subscribe', { channel_id: 'C0NOTICES1' });
    await s.command(COMPARE);
    await s.settle();
    const root = lastRoot();
    assert.ok(root);
    const id = await queuedId(root.ts);
    assert.ok(id, 'queued in the thread');
    await s.jobs.idle();
    await waitFor(
      'the completion notice',
      async () => threadPosts(s.fake, root.ts).find((p) => p.text.startsWith(`Comparison ${id} finished`)),
      30_000,
    );
    await s.settle();
    const posts = threadPosts(s.fake, root.ts);
    const progress = posts.filter((p) => p.text.startsWith(`Comparison ${id}:`));
    assert.equal(progress.length, 1, 'one progress message');
    assert.ok(updatesOf(s.fake, progress[0]?.ts ?? '').length >= 1, 'progress edited in place');
    const finished = posts.find((p) => p.text.startsWith(`Comparison ${id} finished`));
    assert.match(
      blockText(finished?.blocks ?? []),
      /```[\s\S]*LoRA[\s\S]*```/,
      'results table as a code block',
    );
    const completion = s.fake
      .callsTo('files.completeUploadExternal')
      .find((c) => c.args.thread_ts === root.ts);
    assert.ok(completion, 'charts uploaded with files.uploadV2');
    assert.equal(completion.args.channel_id, CHANNEL);
    assert.deepEqual(
      (completion.args.files as { title: string }[]).map((f) => f.title),
      ['Loss curves', 'Cost'],
    );
    assert.ok(s.fake.callsTo('files.getUploadURLExternal').length >= 2);
    assert.ok(s.fake.uploads.length >= 2);
    const notice = channelPosts(s.fake, 'C0NOTICES1').find((p) =>
      p.text.includes(`Comparison ${id} (requested by ${ALICE}) ended: completed`),
    );
    assert.ok(notice, 'the subscribed channel got a notice');
  });

  it('posts a failed comparison in its thread with the reason', async () => {
    process.env.FAKE_TRAINER_BEHAVIOUR = 'bad-data';
    try {
      await s.command(`${COMPARE} methods=lora`);
      await s.settle();
      const root = lastRoot();
      assert.ok(root);
      const id = await queuedId(root.ts);
      await s.jobs.idle();
      const failed = await waitFor(
        'the failure notice',
        async () => threadPosts(s.fake, root.ts).find((p) => p.text.startsWith(`Comparison ${id} failed`)),
        30_000,
      );
      assert.match(failed.text, /could not start: row 3 of train\.jsonl has no 'answer' field/);
      assert.match(failed.text, new RegExp(`/faceoff retry ${id}`));
    } finally {
      process.env.FAKE_TRAINER_BEHAVIOUR = 'succeed';
    }
  });

  it('opens the form for /faceoff compare without arguments and from the Compare... button', async () => {
    await s.command('compare');
    await s.settle();
    const opened = s.fake.callsTo('views.open').at(-1);
    assert.ok(opened);
    const view = opened.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id: string }[];
    };
    assert.equal(view.callback_id, 'faceoff:form');
    assert.deepEqual(JSON.parse(view.private_metadata), { command: 'compare', channel: CHANNEL });
    assert.deepEqual(
      view.blocks.map((b) => b.block_id),
      ['task', 'model', 'methods', 'seeds', 'max_steps', 'lr_sweep', 'rank', 'ranks', 'targets'],
    );
    await s.command('decide');
    await s.settle();
    const root = lastRoot();
    assert.ok(root);
    const button = elements(root.blocks).find((e) => e.action_id === 'slack:open-compare');
    assert.ok(button);
    await s.interact(
      s.payloads.buttonPress({ ts: root.ts, thread: root.ts }, button.action_id, button.value ?? ''),
    );
    await s.settle();
    const fromButton = s.fake.callsTo('views.open').at(-1)?.args.view as { private_metadata: string };
    assert.deepEqual(JSON.parse(fromButton.private_metadata), {
      command: 'compare',
      channel: CHANNEL,
      thread: root.ts,
    });
  });

  it('a submitted form queues the same comparison; field errors stay in the form', async () => {
    const bad = await s.interact(
      s.payloads.viewSubmission(
        { max_steps: { value: { type: 'number_input', value: '0' } } },
        { command: 'compare', channel: CHANNEL },
      ),
    );
    assert.equal(bad.status, 200);
    const errors = JSON.parse(bad.text) as { response_action: string; errors: Record<string, string> };
    assert.equal(errors.response_action, 'errors');
    assert.match(errors.errors.max_steps ?? '', /whole number from 1 to 100000/);
    const jobsBefore = await jobCount();
    const good = await s.interact(s.payloads.viewSubmission({}, { command: 'compare', channel: CHANNEL }));
    assert.equal(good.status, 200);
    assert.equal(good.text, '');
    await s.settle();
    const root = lastRoot();
    assert.ok(root);
    assert.match(
      root.text,
      /compare task=customer_service model=tiny methods=lora,full seeds=1 max_steps=6 lr_sweep=off/,
    );
    assert.ok(await queuedId(root.ts));
    assert.equal(await jobCount(), jobsBefore + 1);
    await s.jobs.idle();
  });

  it('a retried slash command, a retried form and a re-sent event never create a second job', async () => {
    const jobsBefore = await jobCount();
    const rootsBefore = channelPosts(s.fake, CHANNEL).length;
    const body = form(s.payloads.slashCommand(COMPARE));
    const type = 'application/x-www-form-urlencoded';
    assert.equal((await s.post(body, type)).status, 200);
    assert.equal(
      (
        await s.post(body, type, {
          headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
        })
      ).status,
      200,
    );
    const submission = s.payloads.viewSubmission({}, { command: 'compare', channel: CHANNEL });
    await Promise.all([s.interact(submission), s.interact(submission)]);
    await s.settle();
    assert.equal(await jobCount(), jobsBefore + 2, 'one job per command and one per form');
    assert.equal(channelPosts(s.fake, CHANNEL).length, rootsBefore + 2);
    const root = lastRoot();
    assert.ok(root);
    const message = s.payloads.threadMessage(
      'faceoff compare task=customer_service model=tiny seeds=1 max_steps=6 lr_sweep=off',
      root.ts,
    );
    await s.event(message);
    await s.event(message, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'timeout' } });
    await s.settle();
    assert.equal(await jobCount(), jobsBefore + 3, 'a typed compare re-delivered counts once');
    await s.jobs.idle();
  });

  it('refuses dispatch to users outside FACEOFF_SLACK_DISPATCHERS and the dispatch group, clearly', async () => {
    const jobsBefore = await jobCount();
    const rootsBefore = channelPosts(s.fake, CHANNEL).length;
    await s.command(COMPARE, { user_id: BOB, user_name: 'bob' });
    await s.settle();
    const refusal = s.fake.responses.at(-1);
    assert.equal(refusal?.response_type, 'ephemeral');
    assert.match(String(refusal?.text), /You may not start GPU work here/);
    assert.match(String(refusal?.text), new RegExp(`<!subteam\\^${GROUP}>`));
    assert.equal(channelPosts(s.fake, CHANNEL).length, rootsBefore, 'no thread was started');
    await s.command('retry abc123', { user_id: BOB, user_name: 'bob' });
    await s.settle();
    assert.match(String(s.fake.responses.at(-1)?.text), /You may not start GPU work here/);
    for (const spelled of spellings('compare')) {
      const responses = s.fake.responses.length;
      await s.command(`${spelled} task=customer_service model=tiny seeds=1 max_steps=6`, {
        user_id: BOB,
        user_name: 'bob',
      });
      await s.settle();
      assert.equal(s.fake.responses.length, responses + 1, spelled);
      assert.match(String(s.fake.responses.at(-1)?.text), /You may not start GPU work here/, spelled);
    }
    assert.equal(await jobCount(), jobsBefore);
    assert.equal(channelPosts(s.fake, CHANNEL).length, rootsBefore, 'no thread was started');
    await s.command(COMPARE, { user_id: CAROL, user_name: 'carol' });
    await s.settle();
    assert.equal(await jobCount(), jobsBefore + 1, 'a member of the dispatch group may');
    assert.ok(s.fake.callsTo('usergroups.users.list').some((c) => c.args.usergroup === GROUP));
    await s.command('tasks', { user_id: BOB, user_name: 'bob' });
    await s.settle();
    assert.match(blockText(lastRoot()?.blocks ?? []), /customer_service/, 'everything else stays open');
    await s.jobs.idle();
  });

  it('registers a JSONL dataset shared in the thread, and lists a bad file\u2019s errors by line', async () => {
    await s.command('decide');
    await s.settle();
    const root = lastRoot();
    assert.ok(root);
    s.fake.files.set('F0DATASET1', {
      name: 'support.jsonl',
      content: DATASET,
      mimetype: 'application/octet-stream',
    });
    s.fake.files.set('F0BADDATA1', {
      name: 'broken.jsonl',
      content: '{"prompt":"hi","completion":"hello"}\nnot json\n{"prompt":"x"}',
      mimetype: 'application/octet-stream',
    });
    const share = s.payloads.fileShare('F0DATASET1', 'support.jsonl', root.ts);
    await s.event(share);
    await s.event(share, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    await s.settle();
    const registered = threadPosts(s.fake, root.ts).filter((p) => p.text.startsWith('Registered'));
    assert.equal(registered.length, 1, 'registered once');
    assert.match(registered[0]?.text ?? '', /Registered ds-\w+ from support\.jsonl: 40 lines/);
    assert.ok(s.fake.downloads.every((d) => d.authorization === `Bearer ${BOT_TOKEN}`));
    assert.match(s.fake.downloads[0]?.path ?? '', /^\/files-pri\/T0FACEOFF-F0DATASET1\//);
    assert.equal((await s.repositories.datasets.list(`slack:${TEAM}`)).length, 1);
    await s.event(s.payloads.fileShare('F0BADDATA1', 'broken.jsonl', root.ts));
    await s.settle();
    const rejected = threadPosts(s.fake, root.ts).at(-1)?.text ?? '';
    assert.match(rejected, /broken\.jsonl was not registered/);
    assert.match(rejected, /line 2: not valid JSON/);
    assert.match(rejected, /line 3: missing field 'completion'/);
  });

  it('tells the user why a shared file could not be downloaded, and keeps nothing of it', async () => {
    const root = lastRoot();
    assert.ok(root);
    s.fake.files.set('F0SIGNIN01', {
      name: 'private.jsonl',
      content: DATASET,
      mimetype: 'application/octet-stream',
      redirect: 'https://faceoff.slack.com/signin',
    });
    const before = (await s.repositories.datasets.list(`slack:${TEAM}`)).length;
    await s.event(s.payloads.fileShare('F0SIGNIN01', 'private.jsonl', root.ts));
    await s.settle();
    const told = s.fake.callsTo('chat.postEphemeral').at(-1);
    assert.match(
      String(told?.args.text),
      /private\.jsonl was not registered: Slack redirected the download .*files:read scope/,
    );
    assert.equal((await s.repositories.datasets.list(`slack:${TEAM}`)).length, before);
  });

  it('logged no failure along the way', () => {
    assert.deepEqual(s.logs, []);
  });
});
