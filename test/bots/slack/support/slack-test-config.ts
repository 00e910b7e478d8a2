import type { SlackConfig } from '../../../../bots/slack/config';
import { BOT_TOKEN, type FakeSlack } from './fake-slack';
import { SIGNING_SECRET } from './slack-requests';

/** Slack over HTTP with one bot token, talking to the local Slack stand-in (calls not paced). */
export function testSlackConfig(fake: FakeSlack, overrides: Partial<SlackConfig> = {}): SlackConfig {
  return {
    transport: { kind: 'http', port: 0 },
    auth: { kind: 'token', botToken: BOT_TOKEN },
    signingSecret: SIGNING_SECRET,
    apiUrl: fake.apiUrl,
    dispatchers: [],
    dispatchGroup: undefined,
    installPort: undefined,
    // The stand-in enforces no rate limits unless a test asks it to; the bench paces.
    pacing: false,
    ...overrides,
  };
}
