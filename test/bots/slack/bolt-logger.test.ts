import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FaceoffApp } from '../../../bots/compose';
import { type SlackAdapter, startSlackAdapter } from '../../../bots/slack/adapter';
import { startCoreApp } from '../../support/core-app';
import { FakeSlack } from './support/fake-slack';
import { form, SIGNING_SECRET, SlackPayloads, signedPost } from './support/slack-requests';
import { testSlackConfig } from './support/slack-test-config';

/** `npm start` sends Bolt's own lines through the component log, so they become JSON lines too. */
describe("Bolt's own log lines", () => {
  const logs: string[] = [];
  let fake: FakeSlack;
  let app: FaceoffApp;
  let adapter: SlackAdapter;
  before(async () => {
    fake = await FakeSlack.start();
    app = await startCoreApp();
    const config = testSlackConfig(fake);
    adapter = await startSlackAdapter(app, config, {
      port: 0,
      apiRetries: 0,
      boltToLog: true,
      log: (m) => logs.push(m),
    });
  });
  after(async () => {
    await adapter?.stop();
    await app?.close();
    await fake?.close();
  });

  it('go to the log callback, with the signing secret nowhere in them', async () => {
    const url = `http://127.0.0.1:${adapter.port}/slack/events`;
    const body = form(new SlackPayloads(fake.base).slashCommand('help'));
    const refused = await signedPost(url, body, 'application/x-www-form-urlencoded', {
      secret: 'not-the-secret',
    });
    assert.equal(refused.status, 401);
    assert.deepEqual(logs, [
      'bolt warn: Failed to parse and verify the request data: Failed to verify authenticity: signature mismatch',
    ]);
    assert.ok(!logs.join('\n').includes(SIGNING_SECRET));
  });
});
