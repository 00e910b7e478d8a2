/**
 * The outbox sender against the embedded database: a platform that fails, rate-limits or dies
 * between two parts of a notice never loses a notice and never posts one twice.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Reply } from '../../src/chat/replies';
import { backoffDelay, OutboxSender, retryAfterMs } from '../../src/comparison/outbox-sender';
import type { NoticeRecord, Repositories } from '../../src/persistence/index.js';
import { embeddedRepositories } from '../persistence/backends.js';

/** A chat platform that answers with the scripted failures first, then takes posts. */
class FlakyPlatform {
  readonly posted: { key: string; text: string }[] = [];
  readonly failures: unknown[] = [];
  calls = 0;
  async post(key: string, reply: Reply): Promise<void> {
    this.calls++;
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.posted.push({ key, text: reply.text });
  }
}

const http = (status: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`the platform answered ${status}`), extra);

describe('the outbox sender', () => {
  let store: Awaited<ReturnType<typeof embeddedRepositories>>;
  let repos: Repositories;
  before(async () => {
    store = await embeddedRepositories();
    repos = store.repos;
  });
  after(async () => {
    await store?.close();
  });

  /** A sender on a clock the test moves; parts per notice come from `parts` (default the stored text). */
  function sender(platform: FlakyPlatform, parts?: (n: NoticeRecord) => Reply[]) {
    let now = Date.now() + 1000;
    const logs: string[] = [];
    const s = new OutboxSender({
      outbox: repos.outbox,
      notifier: platform,
      render: async (n) => parts?.(n) ?? ['reply' in n.payload ? (n.payload.reply as Reply) : { text: '?' }],
      clock: () => new Date(now),
      log: (m) => logs.push(m),
      backoffMs: 1000,
      maxBackoffMs: 60_000,
      giveUpAfterMs: 3_600_000,
    });
    return { s, logs, advance: (ms: number) => (now += ms), at: () => new Date(now) };
  }
  const conv = (n: number) => `slack:T${n}:C${n}:`;
  let seq = 0;
  const notice = (conversationKey: string, text: string) => ({
    key: `n${String(++seq).padStart(4, '0')}-${Date.now()}`,
    conversationKey,
    kind: 'stage' as const,
    payload: { reply: { text } },
  });

  it('retries with backoff while the platform answers 500, then posts once', async () => {
    const platform = new FlakyPlatform();
    platform.failures.push(http(500), http(500));
    const { s, logs, advance, at } = sender(platform);
    const n = notice(conv(1), 'stage two started');
    await repos.outbox.enqueue([n]);
    // Notices other tests wrote may be due too: only this conversation's posts count.
    advance(1);
    await s.pass();
    assert.equal(platform.posted.filter((p) => p.key === conv(1)).length, 0);
    assert.equal((await repos.outbox.get(n.key))?.attempts, 1);
    await s.pass();
    assert.equal((await repos.outbox.get(n.key))?.attempts, 1, 'not due before its backoff');
    advance(1_000);
    await s.pass();
    assert.equal((await repos.outbox.get(n.key))?.attempts, 2);
    advance(2_000);
    await s.pass();
    assert.deepEqual(
      platform.posted.filter((p) => p.key === conv(1)).map((p) => p.text),
      ['stage two started'],
    );
    const sent = await repos.outbox.get(n.key);
    assert.equal(sent?.state, 'sent');
    assert.ok(sent?.sentAt && sent.sentAt.getTime() <= at().getTime());
    assert.ok(
      logs.some((l) =>
        /could not post .* \(attempt 1: the platform answered 500\); trying again in 1 s/.test(l),
      ),
    );
    advance(60_000);
    await s.pass();
    assert.equal(platform.posted.filter((p) => p.key === conv(1)).length, 1, 'never twice');
  });

  it('waits as long as a 429 asks, and keeps a conversation in order behind a failed notice', async () => {
    const platform = new FlakyPlatform();
    platform.failures.push(http(429, { retryAfterMs: 30_000 }));
    const { s, advance } = sender(platform);
    const first = notice(conv(2), 'first');
    const second = notice(conv(2), 'second');
    const elsewhere = notice(conv(3), 'other channel');
    await repos.outbox.enqueue([first]);
    await repos.outbox.enqueue([second]);
    await repos.outbox.enqueue([elsewhere]);
    advance(1);
    await s.pass();
    assert.deepEqual(
      platform.posted.filter((p) => p.key === conv(2) || p.key === conv(3)).map((p) => p.text),
      ['other channel'],
      'the second waits behind the first; another channel does not',
    );
    advance(20_000);
    await s.pass();
    assert.equal(platform.posted.filter((p) => p.key === conv(2)).length, 0, 'still within Retry-After');
    advance(11_000);
    await s.pass();
    assert.deepEqual(
      platform.posted.filter((p) => p.key === conv(2)).map((p) => p.text),
      ['first', 'second'],
    );
  });

  it('resumes a multi-part notice after the parts already posted', async () => {
    const platform = new FlakyPlatform();
    const { s, advance } = sender(platform, (n) =>
      'reply' in n.payload && (n.payload.reply as Reply).text === 'three parts'
        ? [{ text: 'part 1' }, { text: 'part 2' }, { text: 'part 3' }]
        : [],
    );
    const n = notice(conv(4), 'three parts');
    await repos.outbox.enqueue([n]);
    advance(1);
    // Part 2 fails once.
    const original = platform.post.bind(platform);
    let count = 0;
    platform.post = async (key, reply) => {
      if (key === conv(4) && ++count === 2) throw http(503);
      return original(key, reply);
    };
    await s.pass();
    assert.deepEqual(
      platform.posted.filter((p) => p.key === conv(4)).map((p) => p.text),
      ['part 1'],
    );
    assert.equal((await repos.outbox.get(n.key))?.partsSent, 1);
    advance(5_000);
    await s.pass();
    assert.deepEqual(
      platform.posted.filter((p) => p.key === conv(4)).map((p) => p.text),
      ['part 1', 'part 2', 'part 3'],
    );
  });

  it('a sender that dies mid-post leaves the notice to another sender once its lease runs out', async () => {
    const platform = new FlakyPlatform();
    const n = notice(conv(5), 'orphaned');
    await repos.outbox.enqueue([n]);
    const now = new Date(Date.now() + 20_000_000);
    // The first sender claimed it and never came back.
    assert.ok((await repos.outbox.claimDue(now, 10_000, 60_000)).some((c) => c.key === n.key));
    const s = new OutboxSender({
      outbox: repos.outbox,
      notifier: platform,
      render: async (x) => ['reply' in x.payload ? (x.payload.reply as Reply) : { text: '?' }],
      clock: () => new Date(now.getTime() + 61_000),
    });
    await s.pass();
    assert.deepEqual(
      platform.posted.filter((p) => p.key === conv(5)).map((p) => p.text),
      ['orphaned'],
    );
  });

  it('gives up on a notice still failing after its time, and says so', async () => {
    const platform = new FlakyPlatform();
    platform.post = async (key) => {
      if (key === conv(6)) throw http(403, { message: 'channel_not_found' });
    };
    const { s, logs, advance } = sender(platform);
    const n = notice(conv(6), 'nowhere');
    await repos.outbox.enqueue([n]);
    advance(1);
    for (let i = 0; i < 80 && (await repos.outbox.get(n.key))?.state === 'pending'; i++) {
      await s.pass();
      advance(60_000);
    }
    assert.equal((await repos.outbox.get(n.key))?.state, 'abandoned');
    assert.ok(logs.some((l) => l.startsWith(`outbox: gave up posting ${n.key} to ${conv(6)}`)));
  });

  it('says once that the database is unreachable, and once that it works again', async () => {
    const logs: string[] = [];
    let down = true;
    const outbox = new Proxy(repos.outbox, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        if (name !== 'claimDue' || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (down)
            throw new Error(
              "\nInvalid `prisma.outboxNotice.findMany()` invocation:\n\nCan't reach database server at 127.0.0.1:5432",
            );
          return value.apply(target, args);
        };
      },
    });
    const s = new OutboxSender({
      outbox,
      notifier: new FlakyPlatform(),
      render: async () => [],
      log: (m) => logs.push(m),
    });
    for (let i = 0; i < 5; i++) await s.kick();
    down = false;
    await s.kick();
    await s.kick();
    assert.deepEqual(logs, [
      "outbox: Can't reach database server at 127.0.0.1:5432; trying again every few seconds until it works",
      'outbox: working again',
    ]);
  });

  it('posts to other conversations while one waits, each conversation in order, at most `lanes` at once', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const posted: { key: string; text: string }[] = [];
    let inFlight = 0;
    let most = 0;
    const slow = conv(7);
    const others = [conv(8), conv(9), conv(10), conv(11)];
    const notifier = {
      async post(key: string, reply: Reply) {
        inFlight++;
        most = Math.max(most, inFlight);
        try {
          if (key === slow && reply.text === 'slow 1') await gate;
          else await new Promise((r) => setTimeout(r, 5));
          posted.push({ key, text: reply.text });
        } finally {
          inFlight--;
        }
      },
    };
    const now = Date.now() + 30_000_000;
    const s = new OutboxSender({
      outbox: repos.outbox,
      notifier,
      render: async (n) => ['reply' in n.payload ? (n.payload.reply as Reply) : { text: '?' }],
      clock: () => new Date(now),
      lanes: 3,
    });
    await repos.outbox.enqueue([notice(slow, 'slow 1')]);
    await repos.outbox.enqueue([notice(slow, 'slow 2')]);
    for (const i of [1, 2, 3])
      for (const key of others) await repos.outbox.enqueue([notice(key, `${key} ${i}`)]);
    const passing = s.pass();
    const mine = () => posted.filter((p) => p.key === slow || others.includes(p.key));
    for (let i = 0; i < 200 && mine().length < others.length * 3; i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.equal(mine().length, others.length * 3, 'the other conversations were posted while one waited');
    assert.equal(
      mine().filter((p) => p.key === slow).length,
      0,
      'the waiting conversation posts nothing past its first',
    );
    release();
    await passing;
    for (const key of others)
      assert.deepEqual(
        posted.filter((p) => p.key === key).map((p) => p.text),
        [1, 2, 3].map((i) => `${key} ${i}`),
      );
    assert.deepEqual(
      posted.filter((p) => p.key === slow).map((p) => p.text),
      ['slow 1', 'slow 2'],
    );
    assert.ok(most <= 3, `at most 3 posts at once (saw ${most})`);
    assert.ok(most >= 2, 'posts to different conversations overlap');
  });

  it('reads the wait from rate-limit errors, and backs off exponentially up to the cap', () => {
    assert.equal(retryAfterMs({ retryAfterMs: 1500 }), 1500);
    assert.equal(retryAfterMs({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 }), 7000);
    assert.equal(retryAfterMs(new Error('boom')), undefined);
    assert.equal(
      backoffDelay(1, 1000, 60_000, () => 0),
      500,
    );
    assert.equal(
      backoffDelay(1, 1000, 60_000, () => 1),
      1000,
    );
    assert.equal(
      backoffDelay(4, 1000, 60_000, () => 1),
      8000,
    );
    assert.equal(
      backoffDelay(30, 1000, 60_000, () => 1),
      60_000,
    );
  });

  it('stopping finishes the notice being posted and hands back the ones not begun, for another process to post at once', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const posted: string[] = [];
    const slow = {
      post: async (key: string, reply: Reply) => {
        if (key === conv(90)) await gate;
        posted.push(reply.text);
      },
    };
    const { s } = sender(slow as unknown as FlakyPlatform);
    const first = notice(conv(90), 'being posted when stopped');
    const second = notice(conv(90), 'not begun when stopped');
    await repos.outbox.enqueue([first, second]);
    const pass = s.kick();
    while (!((await repos.outbox.get(first.key)) as { leaseUntil?: Date | null } | null)?.leaseUntil)
      await new Promise((r) => setTimeout(r, 10));
    const stopped = s.stop();
    release();
    await stopped;
    await pass;
    assert.ok(posted.includes('being posted when stopped'));
    assert.ok(!posted.includes('not begun when stopped'));
    const left = await repos.outbox.get(second.key);
    assert.equal(left?.state, 'pending');
    assert.equal(
      (left as { leaseUntil?: Date | null } | null)?.leaseUntil ?? null,
      null,
      'no claim left behind',
    );
    const other = new FlakyPlatform();
    await sender(other).s.pass();
    assert.ok(
      other.posted.some((p) => p.text === 'not begun when stopped'),
      'another sender posts it at once',
    );
  });
});
