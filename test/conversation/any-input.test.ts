/**
 * Whatever people type, press or send in any order, through the whole app (every command but the
 * job system's, the questionnaire kept in the embedded database): answers, never a thrown error.
 * The reducer alone is held to any sequence of inputs in test/decision/properties.test.ts; this
 * adds what lies around it: the engine finding the active questionnaire in the database, button
 * presses with any value, commands in between, and no empty reply.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { FaceoffApp } from '../../bots/compose';
import type { IncomingEvent } from '../../src/chat/incoming';
import { RUN_COMMAND_ACTION } from '../../src/commands/command-text';
import { ANSWER_ACTION, NAV_ACTION } from '../../src/decision/messages';
import { startCoreApp } from '../support/core-app';

/** What people write: command words, answers to the questionnaire, and the characters that break readers. */
const words = fc.constantFrom(
  'decide',
  'cost',
  'tasks',
  'plan',
  'help',
  'results',
  'status',
  'quota',
  'combine',
  'why',
  'what if',
  'back',
  'restart',
  'yes',
  'no',
  'skip',
  'about $5k',
  '$5,000,000,000,000',
  'two weeks',
  'by friday',
  'every day',
  '7B',
  'llama 70b',
  'customer service',
  'code generation',
  'team of 3',
  'actually',
  '"',
  "'",
  '=',
  '\\',
  '\u200b',
  '\u0000',
  '\n',
  '<@U1>',
  '9'.repeat(400),
);
const text = fc
  .array(fc.oneof(words, fc.string({ unit: 'grapheme', maxLength: 12 })), { maxLength: 6 })
  .map((parts) => parts.join(' '));

type Step =
  | { kind: 'command'; text: string }
  | { kind: 'message'; text: string }
  | { kind: 'choice'; actionId: string; value: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('command' as const), text }),
  fc.record({ kind: fc.constant('message' as const), text }),
  fc.record({
    kind: fc.constant('choice' as const),
    actionId: fc.constantFrom(ANSWER_ACTION, NAV_ACTION, RUN_COMMAND_ACTION, 'faceoff:nothing', ''),
    value: fc.oneof(words, text),
  }),
);

describe('the app on any sequence of input', () => {
  let app: FaceoffApp;
  let conversations = 0;
  before(async () => {
    app = await startCoreApp();
  });
  after(async () => {
    await app.close();
  });

  it('answers every event of a questionnaire and around it without throwing; every reply says something', async () => {
    await fc.assert(
      // Each sequence starts a questionnaire (with whatever follows the word), which the rest answers.
      fc.asyncProperty(text, fc.array(step, { minLength: 1, maxLength: 8 }), async (start, rest) => {
        const steps: Step[] = [{ kind: 'command', text: `decide ${start}` }, ...rest];
        const conversation = { platform: 'console', workspace: 'fuzz', channel: `c${conversations++}` };
        for (const s of steps) {
          const event = { ...s, conversation, user: { id: 'U1' } } as IncomingEvent;
          const replies = await app.engine.handle(event);
          for (const reply of replies)
            assert.ok(reply.text.trim().length > 0, `${JSON.stringify(steps)}: an empty reply`);
          if (s.kind === 'command') assert.ok(replies.length > 0, `${JSON.stringify(s.text)}: no answer`);
        }
      }),
      { numRuns: 100 },
    );
  });
});
