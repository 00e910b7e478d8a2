import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { registerCommands } from '../../../bots/discord/command-registration';
import { waitFor } from '../../support/harness';
import { latestJobIn } from '../../support/job-lookup';
import { bool, int, isCallback, slash, str, textOf } from './discord-calls';
import { type DiscordStack, startDiscordStack, TOKEN } from './discord-stack';
import { autocomplete, IDS } from './payloads';

/** The job a compare answer says was queued: the newest job of the channel, which the answer names. */
async function queuedJob(s: DiscordStack, answer: string): Promise<string> {
  const id = await latestJobIn(s.repositories, {
    platform: 'discord',
    workspace: IDS.guild,
    channel: IDS.channel,
  });
  assert.match(answer, new RegExp(`Comparison ${id}\\*{0,2} queued`));
  return id;
}

describe('/faceoff subcommands through the real discord.js client and a local Discord', () => {
  let s: DiscordStack;
  before(async () => {
    s = await startDiscordStack();
  });
  after(async () => {
    await s?.close();
  });

  it('defers help privately first, then answers it in that private response (nothing deleted)', async () => {
    const r = await slash(s.fake, 'help');
    const first = s.fake.calls.findIndex((c) => c.path.includes(r.token) || c.path.includes(r.id));
    assert.equal(s.fake.calls[first], r.callback, 'the deferral is the first call for the interaction');
    assert.equal(r.callback.body?.type, 5);
    assert.equal((r.callback.body?.data as { flags?: number } | undefined)?.flags, 64, 'deferred privately');
    assert.equal(r.answer.method, 'PATCH', 'the private deferred response is filled');
    assert.ok(r.ephemeral);
    assert.match(textOf(r.answer), /`\/faceoff decide \[job=<job id>\] \[<your project in a sentence>\]`/);
    assert.match(textOf(r.answer), /\*\*Faceoff\*\*/, 'core *bold* becomes Discord **bold**');
    assert.ok(!s.fake.calls.some((c) => c.method === 'DELETE' && c.path.includes(r.token)));
  });

  it("help command:compare: compare's help, privately, within Discord's limits", async () => {
    const r = await slash(s.fake, 'help', [str('command', 'compare')]);
    assert.equal((r.callback.body?.data as { flags?: number } | undefined)?.flags, 64, 'deferred privately');
    assert.ok(r.ephemeral);
    const text = textOf(r.answer);
    assert.match(text, /\*\*\/faceoff compare\*\*: run LoRA and full fine-tuning/);
    for (const option of ['task', 'model', 'seeds', 'full_gpu_rate'])
      assert.ok(text.includes(`• \`${option}\``), option);
    assert.ok(((r.answer.body?.content as string | undefined) ?? '').length <= 2000);
  });

  it('tasks: the table in a code block of an embed', async () => {
    const r = await slash(s.fake, 'tasks');
    assert.equal(r.ephemeral, false);
    const embeds = r.answer.body?.embeds as { title?: string; description?: string }[];
    const table = embeds.find((e) => e.title?.includes('task profiles'));
    assert.match(table?.description ?? '', /^```\nTask +Complexity/);
    assert.match(table?.description ?? '', /technical_documentation/);
  });

  it('cost: typed options reach the cost model; an out-of-range value is answered privately', async () => {
    const r = await slash(s.fake, 'cost', [
      str('preset', 'article'),
      { name: 'lora_gpu_hours', type: 10, value: 4 },
      int('months', 6),
    ]);
    assert.equal(r.ephemeral, false);
    assert.match(textOf(r.answer), /LoRA/);
    assert.match(textOf(r.answer), /months/i);
    const flagsOf = (a: typeof r) => (a.callback.body?.data as { flags?: number } | undefined)?.flags ?? 0;
    assert.equal(flagsOf(r) & 64, 0, 'a public answer is deferred publicly');
    const bad = await slash(s.fake, 'cost', [int('months', 40)]);
    assert.ok(bad.ephemeral);
    assert.match(textOf(bad.answer), /months: 40 is out of range/);
    assert.equal(
      flagsOf(bad) & 64,
      0,
      'the cost model refuses it when it runs: deferred publicly, then replaced',
    );
  });

  it('decide: the response names the user and a thread is opened from it for the questions', async () => {
    const r = await slash(s.fake, 'decide');
    assert.match(textOf(r.answer), /Faceoff decision\*\* for <@1100000000000000201>/);
    const thread = await s.fake.waitForCall(
      (c) => c.method === 'POST' && /^\/channels\/\d+\/messages\/\d+\/threads$/.test(c.path),
    );
    const threadId = (thread.response as { id: string }).id;
    const question = await s.fake.waitForCall(
      (c) => c.method === 'POST' && c.path === `/channels/${threadId}/messages`,
    );
    assert.match(textOf(question), /Question 1 of 9/);
    assert.ok(
      s.fake.calls.some(
        (c) => c.method === 'PUT' && c.path === `/channels/${threadId}/thread-members/1100000000000000201`,
      ),
    );
  });

  it('compare, jobs, status, cancel, retry, results: dispatch needs the role or Manage Server', async () => {
    const options = [
      str('model', 'tiny'),
      str('task', 'customer_service'),
      str('methods', 'full'),
      bool('lr_sweep', false),
      int('seeds', 1),
    ];
    const refused = await slash(s.fake, 'compare', [...options, int('max_steps', 6)], 'bob');
    assert.ok(refused.ephemeral);
    assert.match(
      textOf(refused.answer),
      /You may not start GPU work here.*Manage Server or one of the roles <@&1100000000000000301>/s,
    );
    assert.equal(
      (await s.repositories.jobs.listRecent(`discord:${IDS.guild}`, 10)).length,
      0,
      'nothing was queued',
    );

    const both = await slash(s.fake, 'compare', [...options, str('dataset', 'ds-abc123')], 'carol');
    assert.ok(both.ephemeral);
    assert.match(textOf(both.answer), /either task or dataset/);

    process.env.FAKE_TRAINER_BEHAVIOUR = 'bad-data';
    const failing = await queuedJob(
      s,
      textOf((await slash(s.fake, 'compare', [...options, int('max_steps', 6)], 'carol')).answer),
    );
    await s.jobs.idle();
    process.env.FAKE_TRAINER_BEHAVIOUR = 'succeed';
    assert.match(textOf((await slash(s.fake, 'results', [str('job', failing)])).answer), /No completed runs/);
    assert.ok((await slash(s.fake, 'retry', [str('job', failing)], 'bob')).ephemeral, 'retry dispatches too');
    assert.match(
      textOf((await slash(s.fake, 'retry', [str('job', failing)], 'carol')).answer),
      /Retrying 1 run/,
    );
    await s.jobs.idle();
    assert.match(
      textOf((await slash(s.fake, 'results', [str('job', failing)])).answer),
      new RegExp(`Results of ${failing}`),
    );

    const long = await queuedJob(
      s,
      textOf((await slash(s.fake, 'compare', [...options, int('max_steps', 3000)], 'alice')).answer),
    );
    await waitFor(
      'the run to start',
      async () => (await s.repositories.jobs.getById(long))?.runs[0]?.state === 'running',
      30_000,
    );
    const listed = textOf((await slash(s.fake, 'jobs')).answer);
    assert.ok(listed.includes(long) && listed.includes(failing));
    assert.match(textOf((await slash(s.fake, 'status', [str('job', long)])).answer), new RegExp(`${long}`));
    const notYours = await slash(s.fake, 'cancel', [str('job', long)], 'carol');
    assert.ok(notYours.ephemeral);
    assert.match(textOf(notYours.answer), /or an admin can cancel it/);
    assert.match(textOf((await slash(s.fake, 'cancel', [str('job', long)], 'alice')).answer), /Cancelling/);
    await s.jobs.idle();
    assert.equal((await s.repositories.jobs.getById(long))?.state, 'cancelled');
  });

  it('subscribe and unsubscribe this channel', async () => {
    assert.match(
      textOf((await slash(s.fake, 'subscribe')).answer),
      /will get completion and failure notices/,
    );
    assert.match(textOf((await slash(s.fake, 'subscribe')).answer), /already subscribed/);
    assert.match(textOf((await slash(s.fake, 'unsubscribe')).answer), /no longer get job notices/);
  });

  it('autocomplete: tiny and models this server used, its datasets and jobs', async () => {
    const ask = async (option: string, value: string) => {
      const sub = option === 'job' ? 'status' : 'compare';
      const payload = autocomplete(sub, [{ name: option, type: 3, value, focused: true }]);
      const from = s.fake.calls.length;
      const { id, token } = s.fake.interact(payload);
      const call = await s.fake.waitForCall(isCallback(id, token), from);
      assert.equal(call.body?.type, 8);
      return (call.body?.data as { choices: { name: string; value: string }[] } | undefined)?.choices ?? [];
    };
    assert.deepEqual(
      (await ask('model', 'ti')).map((c) => c.value),
      ['tiny-s', 'tiny', 'tiny-l', 'tiny-s,tiny,tiny-l'],
    );
    await s.repositories.datasets.register({
      teamKey: `discord:${IDS.guild}`,
      name: 'tickets.jsonl',
      path: 'datasets/none.jsonl',
      sha256: 'x',
      lineCount: 40,
      createdBy: 'u',
    });
    const datasets = await ask('dataset', '');
    assert.equal(datasets.length, 1);
    assert.match(datasets[0]?.name ?? '', /^ds-\w+: tickets\.jsonl, 40 lines$/);
    const jobs = await ask('job', '');
    assert.ok(jobs.length >= 1);
    assert.match(jobs[0]?.name ?? '', /: cancelled, tiny$/);
  });

  it('registers /faceoff in one server (development) or globally', async () => {
    const config = { token: TOKEN, applicationId: IDS.bot, apiUrl: s.fake.apiUrl, dispatchRoleIds: [] };
    const guild = await registerCommands({ ...config, guildId: IDS.guild }, { retries: 0 });
    assert.deepEqual(guild, { scope: `server ${IDS.guild}`, names: ['faceoff'] });
    const put = s.fake.calls.find(
      (c) => c.method === 'PUT' && c.path === `/applications/${IDS.bot}/guilds/${IDS.guild}/commands`,
    );
    const body = put?.body as unknown as { options: { name: string }[] }[];
    assert.ok(body[0]?.options.some((o) => o.name === 'compare'));
    assert.equal((await registerCommands(config, { retries: 0 })).scope, 'global');
    assert.ok(s.fake.calls.some((c) => c.method === 'PUT' && c.path === `/applications/${IDS.bot}/commands`));
  });

  it('npm run discord:register registers and prints the invite link', async () => {
    const env = {
      ...process.env,
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: IDS.bot,
      DISCORD_GUILD_ID: IDS.guild,
      DISCORD_API_URL: s.fake.apiUrl,
    };
    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'discord:register'], {
      env,
      encoding: 'utf8',
    });
    assert.match(stdout, new RegExp(`Registered /faceoff \\(server ${IDS.guild}\\)`));
    assert.match(stdout, /scope=bot\+applications\.commands&permissions=309237763072/);
  });

  it('a notice posted again under the same once-key (an outbox retry after a crash) is posted once', async () => {
    const key = `discord:${IDS.guild}:${IDS.channel}:`;
    const from = s.fake.calls.length;
    const deduplicatedBefore = s.fake.deduplicated.length;
    const notice = { text: 'Comparison abc1234 finished.', onceKey: 'announce:abc1234:1#0#0' };
    await s.notifier.post(key, notice);
    await s.notifier.post(key, notice);
    await s.notifier.post(key, { ...notice, onceKey: 'announce:abc1234:1#0#1' });
    const posts = s.fake.calls
      .slice(from)
      .filter((c) => c.method === 'POST' && c.path === `/channels/${IDS.channel}/messages`);
    assert.equal(posts.length, 2, 'the repeat was answered with the first message');
    assert.equal(s.fake.deduplicated.length - deduplicatedBefore, 1);
    assert.equal(posts[0]?.body?.enforce_nonce, true);
    assert.ok(String(posts[0]?.body?.nonce).length <= 25);
  });
});
