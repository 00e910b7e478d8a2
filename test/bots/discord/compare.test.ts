import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { spellings } from '../../support/command-spellings';
import { latestJobIn } from '../../support/job-lookup';
import { bool, int, isEdit, isPost, messageIdOf, slash, str, textOf } from './discord-calls';
import { type DiscordStack, startDiscordStack } from './discord-stack';
import { attachment, IDS, type Person, typedMessage } from './payloads';

const GOOD = Array.from(
  { length: 40 },
  (_, i) => `{"prompt":"ticket ${i}: my order is late","completion":"Sorry! Order ${i} ships today."}`,
).join('\n');
const BAD = [
  '{"prompt":"hi","completion":"hello"}',
  'not json',
  '{"prompt":"x"}',
  ...GOOD.split('\n').slice(0, 5),
].join('\n');

const IN_THREAD = {
  platform: 'discord',
  workspace: IDS.guild,
  channel: IDS.channel,
  thread: IDS.thread,
} as const;

describe('datasets and comparisons in a Discord thread (fake trainer, real Redis and worker)', () => {
  let s: DiscordStack;
  before(async () => {
    s = await startDiscordStack();
  });
  after(async () => {
    await s?.close();
  });

  const share = async (
    name: string,
    text: string,
    who: Person = 'carol',
    where: { thread?: string; dm?: boolean } = { thread: IDS.thread },
  ) => {
    s.fake.files.set(name, new TextEncoder().encode(text));
    const from = s.fake.calls.length;
    s.fake.dispatch(
      'MESSAGE_CREATE',
      typedMessage('our data', where, who, [attachment(name, text.length, `${s.fake.url}/files/${name}`)]),
    );
    return s.fake.waitForCall(isPost(where.dm ? IDS.dm : (where.thread ?? IDS.channel)), from, 30_000);
  };

  let datasetId = '';

  it('a JSONL file attached in a thread is downloaded and validated; problems are listed by line', async () => {
    const bad = textOf(await share('broken.jsonl', BAD));
    assert.match(bad, /broken\.jsonl was not registered/);
    assert.match(bad, /line 2: not valid JSON/);
    assert.match(bad, /line 3: missing field 'completion'/);
    const good = textOf(await share('support.jsonl', GOOD));
    datasetId = /Registered \*\*(ds-\w+)\*\*/.exec(good)?.[1] ?? '';
    assert.ok(datasetId, good);
    const stored = await s.repositories.datasets.get(`discord:${IDS.guild}`, datasetId);
    assert.equal(stored?.lineCount, 40, 'registered for this server');
    assert.ok(
      s.fake.calls.some((c) => c.path === `/channels/${IDS.thread}/typing`),
      'typing shown while validating',
    );
  });

  it('compare on it: progress edits one message; the results table and charts arrive in the thread; subscribers get a notice', async () => {
    assert.match(
      textOf((await slash(s.fake, 'subscribe', [], 'alice', { channel: IDS.noticesChannel })).answer),
      /will get completion/,
    );
    const from = s.fake.calls.length;
    const options = [
      str('model', 'tiny'),
      str('dataset', datasetId),
      int('max_steps', 6),
      int('seeds', 1),
      bool('lr_sweep', false),
    ];
    const queued = textOf((await slash(s.fake, 'compare', options, 'carol', { thread: IDS.thread })).answer);
    const id = await latestJobIn(s.repositories, IN_THREAD);
    assert.match(queued, new RegExp(`Comparison ${id}\\*\\* queued`));
    const done = await s.fake.waitForCall(
      (c) => isPost(IDS.thread)(c) && textOf(c).includes(`Comparison ${id} finished`),
      from,
      60_000,
    );
    const notice = await s.fake.waitForCall(isPost(IDS.noticesChannel), from);
    const posts = s.fake.calls.slice(from).filter(isPost(IDS.thread));
    const progress = posts.filter((c) => textOf(c).startsWith(`**Comparison ${id}**:`));
    assert.equal(progress.length, 1, 'one progress message');
    const progressId = messageIdOf(progress[0] as never);
    assert.ok(
      s.fake.calls.slice(from).filter(isEdit(IDS.thread, progressId)).length >= 1,
      'progress is edited in place',
    );
    assert.deepEqual(
      done.files.map((f) => f.name),
      [`${id}-loss.png`, `${id}-cost.png`],
    );
    const embeds = done.body?.embeds as { title?: string; description?: string; image?: { url: string } }[];
    assert.equal(embeds[0]?.image?.url, `attachment://${id}-loss.png`);
    assert.ok(
      embeds.some(
        (e) =>
          e.description?.startsWith('```') && /LoRA/.test(e.description) && /Full FT/.test(e.description),
      ),
    );
    assert.match(
      textOf(notice),
      new RegExp(`Comparison ${id} \\(requested by ${'1100000000000000203'}\\) ended: completed`),
    );
  });

  it('a failed comparison says why, in the thread', async () => {
    process.env.FAKE_TRAINER_BEHAVIOUR = 'bad-data';
    try {
      const from = s.fake.calls.length;
      const options = [
        str('model', 'tiny'),
        str('task', 'customer_service'),
        str('methods', 'lora'),
        int('max_steps', 6),
        int('seeds', 1),
        bool('lr_sweep', false),
      ];
      await slash(s.fake, 'compare', options, 'alice', { thread: IDS.thread });
      const id = await latestJobIn(s.repositories, IN_THREAD);
      const failed = await s.fake.waitForCall(
        (c) => isPost(IDS.thread)(c) && textOf(c).includes(`Comparison ${id} failed`),
        from,
        60_000,
      );
      assert.match(textOf(failed), /LoRA could not start: .*no 'answer' field/);
      assert.match(textOf(failed), /\/faceoff retry/);
    } finally {
      process.env.FAKE_TRAINER_BEHAVIOUR = 'succeed';
    }
  });

  it('typed `faceoff compare` in a thread is refused without the role or Manage Server, however it is spelled', async () => {
    const before = (await s.repositories.jobs.listRecent(`discord:${IDS.guild}`, 100)).length;
    for (const spelled of spellings('compare')) {
      const from = s.fake.calls.length;
      s.fake.dispatch(
        'MESSAGE_CREATE',
        typedMessage(`faceoff ${spelled} task=customer_service model=tiny`, { thread: IDS.thread }, 'bob'),
      );
      const refusal = await s.fake.waitForCall(isPost(IDS.thread), from);
      assert.match(textOf(refusal), /You may not start GPU work here/, spelled);
    }
    assert.equal((await s.repositories.jobs.listRecent(`discord:${IDS.guild}`, 100)).length, before);
  });

  it('a dataset sent in a DM is refused: datasets belong to a server', async () => {
    assert.match(textOf(await share('dm.jsonl', GOOD, 'alice', { dm: true })), /Datasets belong to a server/);
  });
});
