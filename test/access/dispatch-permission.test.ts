/**
 * Whether a command starts GPU work is decided in the core on the command as parsed: every
 * spelling of compare, plan and retry (quotes, typographic quotes, fullwidth letters, invisible
 * characters, punctuation) from a user without the right is refused and queues nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { AccessPolicy } from '../../src/access/access-policy';
import type { ConversationRef } from '../../src/chat/conversation';
import type { IncomingEvent, UserRef } from '../../src/chat/incoming';
import type { Reply } from '../../src/chat/replies';
import type { DispatchInput } from '../../src/comparison/ports';
import type { ConversationEngine } from '../../src/conversation/engine';
import type { Database } from '../../src/persistence/index';
import { spellings } from '../support/command-spellings';
import { startRecordingEngine } from '../support/recording-engine';

const SLACK: ConversationRef = { platform: 'slack', workspace: 'T1', channel: 'C1', thread: '1.1' };
const ALLOWED: UserRef = { id: 'U_OK' };
const MEMBER: UserRef = { id: 'U_NO', roles: ['S_OTHER'] };
const GROUPED: UserRef = { id: 'U_GROUP', roles: ['S_GPU'] };
const COMPARE = 'task=customer_service model=tiny seeds=1 max_steps=5';

describe('dispatch permission in the core', () => {
  let db: Database;
  let engine: ConversationEngine;
  let dispatched: DispatchInput[];

  before(async () => {
    const access = new AccessPolicy();
    access.register('slack', {
      users: [ALLOWED.id],
      roles: ['S_GPU'],
      admins: false,
      whenUnconfigured: 'everyone',
      describeWho: 'the dispatchers',
    });
    ({ db, engine, dispatched } = await startRecordingEngine({ access }));
  });
  after(async () => {
    await db.close();
  });

  const send = (kind: 'command' | 'message', text: string, user: UserRef): Promise<Reply[]> => {
    const event: IncomingEvent =
      kind === 'command'
        ? { kind, text, user, conversation: SLACK }
        : { kind, text: `faceoff ${text}`, user, conversation: SLACK };
    return engine.handle(event);
  };

  it('refuses every spelling of compare, plan and retry, typed or as a command, and queues nothing', async () => {
    const before = dispatched.length;
    for (const kind of ['command', 'message'] as const) {
      for (const spelled of spellings('compare')) {
        const replies = await send(kind, `${spelled} ${COMPARE}`, MEMBER);
        assert.equal(replies.length, 1, spelled);
        assert.match(replies[0]?.text ?? '', /You may not start GPU work here/, `${kind}: ${spelled}`);
        assert.equal(replies[0]?.ephemeral, true);
      }
      for (const spelled of spellings('retry')) {
        const replies = await send(kind, `${spelled} abc1234`, MEMBER);
        assert.match(replies[0]?.text ?? '', /You may not start GPU work here/, `${kind}: ${spelled}`);
      }
      for (const spelled of spellings('plan')) {
        const replies = await send(kind, `${spelled} ${COMPARE} target=0.5`, MEMBER);
        assert.match(replies[0]?.text ?? '', /You may not start GPU work here/, `${kind}: ${spelled}`);
      }
    }
    assert.equal(dispatched.length, before, 'nothing was queued');
  });

  it('the same spellings run for a dispatcher and for a member of the dispatch group', async () => {
    const before = dispatched.length;
    for (const spelled of spellings('compare').slice(0, 12)) {
      const replies = await send('command', `${spelled} ${COMPARE}`, ALLOWED);
      assert.match(replies[0]?.text ?? '', /Comparison \w+\* queued/, spelled);
    }
    const grouped = await send('message', `\uff43ompare ${COMPARE}`, GROUPED);
    assert.match(grouped[0]?.text ?? '', /queued/);
    assert.equal(dispatched.length, before + 13);
  });

  it('asking for help in any spelling answers help and queues nothing; a help word beside pairs runs nothing', async () => {
    const before = dispatched.length;
    for (const user of [MEMBER, ALLOWED])
      for (const kind of ['command', 'message'] as const) {
        for (const command of ['compare', 'plan', 'retry'])
          for (const spelled of spellings(command)) {
            for (const text of [`${spelled} help`, `help ${spelled}`, `${spelled} --help`]) {
              const replies = await send(kind, text, user);
              assert.equal(replies.length, 1, `${kind}: ${text}`);
              assert.match(
                replies[0]?.text ?? '',
                new RegExp(`^\\*/faceoff ${command}\\*: `),
                `${kind}: ${text}`,
              );
              assert.equal(replies[0]?.ephemeral, true);
            }
          }
        for (const text of [
          'compare ｈｅｌｐ',
          'compare \u200bhelp\u200b',
          'compare "help"',
          '"help" "compare"',
        ]) {
          const replies = await send(kind, text, user);
          assert.match(
            replies[0]?.text ?? '',
            /^\*\/faceoff compare\*: /,
            `${kind}: ${JSON.stringify(text)}`,
          );
        }
        // With pairs beside it, "help" is a word where pairs belong: refused, never run.
        const mixed = await send(kind, `compare help ${COMPARE}`, user);
        assert.match(
          mixed[0]?.text ?? '',
          user === MEMBER ? /You may not start GPU work/ : /takes key=value pairs only/,
        );
      }
    assert.equal(dispatched.length, before, 'nothing was queued');
  });

  it('retrying another user\u2019s job needs the same right as cancelling it', async () => {
    const queued = await send('command', `compare ${COMPARE}`, ALLOWED);
    const id = queued[0]?.refs?.jobId;
    assert.ok(id);
    const before = dispatched.length;
    const refused = await send('command', `retry ${id}`, GROUPED);
    assert.match(
      refused[0]?.text ?? '',
      new RegExp(`Only U_OK \\(who started ${id}\\) or an admin can retry it`),
    );
    const cancelRefused = await send('command', `cancel ${id}`, GROUPED);
    assert.match(cancelRefused[0]?.text ?? '', /or an admin can cancel it/);
    const admin = await send('command', `retry ${id}`, { ...GROUPED, isAdmin: true });
    assert.match(admin[0]?.text ?? '', /has no failed or cancelled runs to retry/);
    assert.equal(dispatched.length, before);
  });

  it('a platform without a registered rule refuses dispatch; the console allows it', async () => {
    const discord: ConversationRef = { platform: 'discord', workspace: 'G1', channel: 'C1' };
    const refused = await engine.handle({
      kind: 'command',
      text: `compare ${COMPARE}`,
      user: ALLOWED,
      conversation: discord,
    });
    assert.match(refused[0]?.text ?? '', /nobody may start it from here/);
    const consoleRef: ConversationRef = { platform: 'console', workspace: 'local', channel: 'c' };
    const ran = await engine.handle({
      kind: 'command',
      text: `compare ${COMPARE}`,
      user: MEMBER,
      conversation: consoleRef,
    });
    assert.match(ran[0]?.text ?? '', /queued/);
  });

  it('sharing a dataset needs the same right', async () => {
    const replies = await engine.handle({
      kind: 'file',
      user: MEMBER,
      conversation: SLACK,
      file: {
        name: 'data.jsonl',
        size: 10,
        download: async () => {
          throw new Error('must not be downloaded');
        },
      },
    });
    assert.match(replies[0]?.text ?? '', /registering a dataset is open to the dispatchers/);
  });

  it('10,000 generated command strings: no crash, every reply says something, nothing queued for a member', async () => {
    const before = dispatched.length;
    const fragment = fc.oneof(
      fc.constantFrom(
        ...spellings('compare'),
        ...spellings('retry'),
        ...spellings('plan'),
        'target=0.5',
        'ranks=4,16,64',
        'faceoff',
        '/faceoff',
        'task=all',
        'task=customer_service',
        'model=tiny',
        'model=../../etc',
        'seeds=5',
        'max_steps=100000',
        'methods=lora,full',
        'status',
        'jobs',
        'cancel',
        'help',
        'quota',
        'decide',
        'cost',
        '"',
        "'",
        '=',
        '\u200b',
        '\u0000',
        '\ud800',
        '\u{1f600}',
      ),
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 8 }),
    );
    const commandText = fc.array(fragment, { minLength: 0, maxLength: 8 }).map((parts) => parts.join(' '));
    await fc.assert(
      fc.asyncProperty(commandText, fc.constantFrom('command', 'message'), async (text, kind) => {
        const replies =
          kind === 'command'
            ? await engine.handle({ kind, text, user: MEMBER, conversation: SLACK })
            : await engine.handle({ kind, text, user: MEMBER, conversation: SLACK });
        for (const reply of replies)
          assert.ok(reply.text.trim().length > 0, `empty reply to ${JSON.stringify(text)}`);
        if (kind === 'command') assert.ok(replies.length > 0, `no reply to ${JSON.stringify(text)}`);
        assert.equal(dispatched.length, before, `queued for ${JSON.stringify(text)}`);
      }),
      { numRuns: 10_000 },
    );
  });
});
