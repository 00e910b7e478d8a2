import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RoutingNotifier } from '../../../bots/routing-notifier';
import { type SlackAdapter, startSlackAdapter } from '../../../bots/slack/adapter';
import type { SlackConfig } from '../../../bots/slack/config';
import { ConversationEngine } from '../../../src/conversation/engine';
import { createRepositories, type Database, openDatabase } from '../../../src/persistence/index';
import { BOT_TOKEN, FakeSlack } from './support/fake-slack';
import { form, SIGNING_SECRET, SlackPayloads, signedPost } from './support/slack-requests';

/** `npm start` sends Bolt's own lines through the component log, so they become JSON lines too. */
describe("Bolt's own log lines", () => {
  const logs: string[] = [];
  let fake: FakeSlack;
  let db: Database;
  let adapter: SlackAdapter;
  before(async () => {
    fake = await FakeSlack.start();
    db = await openDatabase({ url: 'memory:' });
    const repositories = createRepositories(db.prisma);
    const engine = new ConversationEngine({
      sessions: repositories.sessions,
      decisions: repositories.decisions,
      teams: repositories.teams,
      sessionTtlMs: 3_600_000,
      commands: {},
    });
    const config: SlackConfig = {
      transport: { kind: 'http', port: 0 },
      auth: { kind: 'token', botToken: BOT_TOKEN },
      signingSecret: SIGNING_SECRET,
      apiUrl: fake.apiUrl,
      dispatchers: [],
      dispatchGroup: undefined,
      installPort: undefined,
    };
    adapter = await startSlackAdapter({ engine, repositories, notifier: new RoutingNotifier() }, config, {
      port: 0,
      apiRetries: 0,
      boltToLog: true,
      log: (m) => logs.push(m),
    });
  });
  after(async () => {
    await adapter?.stop();
    await db?.close();
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
