import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { configuredPlatforms } from '../../../bots/platforms';
import { BOT_SCOPES, readSlackConfig, slackRequested } from '../../../bots/slack/config';
import { slackDispatchRule } from '../../../bots/slack/dispatch-rule';
import { downloadUrl } from '../../../bots/slack/messages/file-download';
import { ruleAllows } from '../../../src/access/access-policy';

const TOKEN_KEY_HEX = randomBytes(32).toString('hex');

describe('Slack configuration', () => {
  it('Socket Mode with a bot token is the default way to try it', () => {
    const config = readSlackConfig({ SLACK_APP_TOKEN: 'xapp-1-x', SLACK_BOT_TOKEN: 'xoxb-1' });
    assert.ok(config.ok);
    assert.deepEqual(config.value.transport, { kind: 'socket', appToken: 'xapp-1-x' });
    assert.deepEqual(config.value.auth, { kind: 'token', botToken: 'xoxb-1' });
    assert.equal(config.value.pacing, true, 'calls wait for the rate limits unless told otherwise');
    const off = readSlackConfig({
      SLACK_APP_TOKEN: 'xapp-1-x',
      SLACK_BOT_TOKEN: 'xoxb-1',
      FACEOFF_SLACK_PACING: 'off',
    });
    assert.ok(off.ok && off.value.pacing === false);
    const bad = readSlackConfig({
      SLACK_APP_TOKEN: 'xapp-1-x',
      SLACK_BOT_TOKEN: 'xoxb-1',
      FACEOFF_SLACK_PACING: 'maybe',
    });
    assert.ok(!bad.ok && /FACEOFF_SLACK_PACING/.test(bad.error));
  });

  it('HTTP mode with a signing secret and PORT; OAuth for several workspaces; dispatch policy', () => {
    const config = readSlackConfig({
      SLACK_SIGNING_SECRET: 's',
      PORT: '8080',
      SLACK_CLIENT_ID: '1.2',
      SLACK_CLIENT_SECRET: 'c',
      SLACK_STATE_SECRET: 'st',
      FACEOFF_SLACK_TOKEN_KEY: TOKEN_KEY_HEX,
      SLACK_API_URL: 'http://proxy.internal:8000/api',
      FACEOFF_SLACK_DISPATCHERS: 'U01, U02',
      FACEOFF_SLACK_DISPATCH_GROUP: 'S0GPU',
    });
    assert.ok(config.ok, config.ok ? '' : config.error);
    assert.deepEqual(config.value.transport, { kind: 'http', port: 8080 });
    assert.equal(config.value.auth.kind, 'oauth');
    if (config.value.auth.kind === 'oauth')
      assert.deepEqual(Buffer.from(config.value.auth.tokenKey).toString('hex'), TOKEN_KEY_HEX);
    assert.equal(config.value.apiUrl, 'http://proxy.internal:8000/api/');
    assert.deepEqual(config.value.dispatchers, ['U01', 'U02']);
    assert.equal(config.value.dispatchGroup, 'S0GPU');
  });

  it('says what is missing or wrong, and never repeats a secret', () => {
    const bad = readSlackConfig({
      SLACK_BOT_TOKEN: 'secret-not-a-token',
      FACEOFF_SLACK_DISPATCH_GROUP: 'marketing',
    });
    assert.equal(bad.ok, false);
    if (bad.ok) return;
    assert.match(bad.error, /SLACK_BOT_TOKEN: a bot token starts with xoxb-/);
    assert.match(bad.error, /set SLACK_APP_TOKEN \(Socket Mode\) or SLACK_SIGNING_SECRET/);
    assert.match(bad.error, /not a user group id/);
    assert.ok(!bad.error.includes('secret-not-a-token'));
    const both = readSlackConfig({
      SLACK_APP_TOKEN: 'xapp-1',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_CLIENT_ID: '1',
      SLACK_CLIENT_SECRET: 'c',
      SLACK_STATE_SECRET: 's',
    });
    assert.equal(both.ok, false);
  });

  it('OAuth refuses to start without a valid FACEOFF_SLACK_TOKEN_KEY, and says why', () => {
    const oauth = {
      SLACK_APP_TOKEN: 'xapp-1',
      SLACK_CLIENT_ID: '1.2',
      SLACK_CLIENT_SECRET: 'c',
      SLACK_STATE_SECRET: 's',
    };
    const problem = (key: string | undefined) => {
      const config = readSlackConfig({
        ...oauth,
        ...(key === undefined ? {} : { FACEOFF_SLACK_TOKEN_KEY: key }),
      });
      assert.equal(config.ok, false, `accepted ${key}`);
      return config.ok ? '' : config.error;
    };
    assert.match(
      problem(undefined),
      /FACEOFF_SLACK_TOKEN_KEY: OAuth installs keep each workspace's tokens in the database, encrypted/,
    );
    assert.match(problem('abcd1234'), /FACEOFF_SLACK_TOKEN_KEY: 8 hex characters \(4 bytes\)/);
    const short = randomBytes(16).toString('base64');
    assert.match(problem(short), /FACEOFF_SLACK_TOKEN_KEY: base64 of 16 bytes, not 32/);
    assert.ok(!problem(short).includes(short), 'the key is never echoed');
    assert.match(problem('not a key!'), /FACEOFF_SLACK_TOKEN_KEY: neither hex nor base64/);
    const base64 = randomBytes(32).toString('base64');
    const accepted = readSlackConfig({ ...oauth, FACEOFF_SLACK_TOKEN_KEY: base64 });
    assert.ok(accepted.ok && accepted.value.auth.kind === 'oauth');
    assert.equal(readSlackConfig({ ...oauth, FACEOFF_SLACK_TOKEN_KEY: TOKEN_KEY_HEX }).ok, true);
    const token = readSlackConfig({ SLACK_APP_TOKEN: 'xapp-1', SLACK_BOT_TOKEN: 'xoxb-1' });
    assert.ok(token.ok, 'one workspace by bot token needs no key');
  });

  it('npm start runs Slack only when a Slack variable is set', () => {
    assert.equal(slackRequested({}), false);
    assert.deepEqual(
      configuredPlatforms({})
        .map((p) => p.name)
        .filter((n) => n === 'slack'),
      [],
    );
    assert.deepEqual(
      configuredPlatforms({ SLACK_APP_TOKEN: 'xapp-1', SLACK_BOT_TOKEN: 'xoxb-1' })
        .map((p) => p.name)
        .filter((n) => n === 'slack'),
      ['slack'],
    );
  });

  it('the manifest asks for exactly the scopes the OAuth install requests', () => {
    const manifest = readFileSync(new URL('../../../bots/slack/manifest.yml', import.meta.url), 'utf8');
    const bot = /^ {4}bot:\n((?: {6}- .+\n)+)/m.exec(manifest)?.[1] ?? '';
    assert.deepEqual(
      bot
        .trim()
        .split('\n')
        .map((l) => l.replace(/^\s*- /, '')),
      BOT_SCOPES,
    );
    assert.match(manifest, /command: \/faceoff/);
    assert.match(manifest, /socket_mode_enabled: true/);
    for (const event of [
      'message.channels',
      'message.groups',
      'message.im',
      'app_uninstalled',
      'tokens_revoked',
    ])
      assert.match(manifest, new RegExp(`- ${event}`));
  });

  it('hands the core a dispatch rule from the configuration, and sends the bot token to Slack hosts only', () => {
    const conversation = { platform: 'slack' as const, workspace: 'T', channel: 'C' };
    const open = slackDispatchRule({ dispatchers: [], dispatchGroup: undefined });
    assert.equal(ruleAllows(open, { id: 'U9' }, conversation), true, 'unconfigured: everyone');
    const closed = slackDispatchRule({ dispatchers: ['U1'], dispatchGroup: 'S0GPU' });
    assert.equal(ruleAllows(closed, { id: 'U1' }, conversation), true);
    assert.equal(ruleAllows(closed, { id: 'U2', roles: ['S0GPU'] }, conversation), true);
    assert.equal(ruleAllows(closed, { id: 'U3', roles: ['S0OTHER'] }, conversation), false);
    assert.equal(
      ruleAllows(closed, { id: 'U4', isAdmin: true }, conversation),
      false,
      'admins are not dispatchers',
    );
    assert.match(closed.describeWho, /FACEOFF_SLACK_DISPATCHERS and members of <!subteam\^S0GPU>/);
    const file = 'https://files.slack.com/files-pri/T1-F1/data.jsonl';
    assert.equal(downloadUrl(file, undefined).href, file);
    assert.equal(
      downloadUrl(file, 'http://127.0.0.1:9999/api/').href,
      'http://127.0.0.1:9999/files-pri/T1-F1/data.jsonl',
    );
    assert.throws(
      () => downloadUrl('https://evil.example.com/files-pri/x', undefined),
      /refusing to send the bot token/,
    );
  });
});
