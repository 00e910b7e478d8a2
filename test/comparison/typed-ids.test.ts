/**
 * A job, study or dataset id typed in chat is quoted back as a short excerpt when nothing matches,
 * however long it was: the reply says which id, never the whole text.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../src/persistence/index';
import { startRecordingEngine } from '../support/recording-engine';

describe('unknown ids typed in chat', () => {
  let db: Database;
  let send: (text: string) => Promise<string>;

  before(async () => {
    const started = await startRecordingEngine();
    db = started.db;
    send = async (text) =>
      (
        await started.engine.handle({
          kind: 'command',
          text,
          user: { id: 'U1' },
          conversation: { platform: 'console', workspace: 'w', channel: 'c' },
        })
      )
        .map((r) => r.text)
        .join('\n');
  });
  after(async () => {
    await db.close();
  });

  it('are named back as an excerpt, not whole', async () => {
    const long = 'q'.repeat(100_000);
    for (const [text, expected] of [
      [`status ${long}`, /^No job "qqq+…" in this workspace/],
      [`results ${long}`, /^No job "qqq+…" in this workspace/],
      [`cancel ${long}`, /^No job "qqq+…" in this workspace/],
      [`status st-${long}`, /^No study "st-qqq+…" in this workspace/],
      [`decide job=${long}`, /job: no job "qqq+…" in this workspace/],
      [`compare task=ds-${long} model=tiny`, /task: no dataset "ds-qqq+…" is registered/],
    ] as const) {
      const said = await send(text);
      assert.match(said, expected, text.slice(0, 20));
      assert.ok(said.length < 2_000, `${text.slice(0, 20)}: ${said.length} characters`);
    }
    assert.match(await send('status nosuchjob'), /^No job "nosuchjob" in this workspace/);
  });
});
