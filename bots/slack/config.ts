/**
 * Slack configuration from the environment. Socket Mode (SLACK_APP_TOKEN) needs no public URL;
 * HTTP mode (SLACK_SIGNING_SECRET + PORT) serves /slack/events. A bot token serves one workspace;
 * SLACK_CLIENT_ID + SLACK_CLIENT_SECRET + SLACK_STATE_SECRET install the app in many (OAuth), with
 * FACEOFF_SLACK_TOKEN_KEY encrypting the installations' tokens in the database.
 * Secrets are kept out of every message and log line.
 */
import { httpUrlProblem } from '../../src/format/url-redaction';
import { err, ok, type Result } from '../../src/parsing/result';
import { parseSecretKey } from '../../src/persistence/secret-box';

export type SlackTransport = { kind: 'socket'; appToken: string } | { kind: 'http'; port: number };

export type SlackAuth =
  | { kind: 'token'; botToken: string }
  | {
      kind: 'oauth';
      clientId: string;
      clientSecret: string;
      stateSecret: string;
      scopes: string[];
      /** FACEOFF_SLACK_TOKEN_KEY: encrypts the installations' tokens in the database. */
      tokenKey: Uint8Array;
    };

export interface SlackConfig {
  transport: SlackTransport;
  auth: SlackAuth;
  /** Checked on every HTTP request (and on the OAuth routes); Socket Mode does not need it. */
  signingSecret: string | undefined;
  /** Web API base, e.g. `https://slack.com/api/` (proxies, tests); also the host files are fetched through. */
  apiUrl: string | undefined;
  /** User ids that may dispatch GPU jobs. */
  dispatchers: string[];
  /** A user group whose members may dispatch GPU jobs. */
  dispatchGroup: string | undefined;
  /** Port of the OAuth install pages in Socket Mode (HTTP mode serves them on PORT). */
  installPort: number | undefined;
  /** FACEOFF_SLACK_PACING: Web API calls wait for Slack's rate limits on our side (default on). */
  pacing?: boolean;
}

/** The bot scopes the manifest asks for; OAuth installs request the same. */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'channels:history',
  'channels:join',
  'groups:history',
  'im:history',
  'files:read',
  'files:write',
  'usergroups:read',
  'users:read',
];

type Env = Record<string, string | undefined>;

const value = (env: Env, key: string) => env[key]?.trim() || undefined;

/** True when some Slack variable is set: then the Slack platform starts (and reports what is missing). */
export function slackRequested(env: Env): boolean {
  return ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_CLIENT_ID'].some((k) =>
    value(env, k),
  );
}

function port(env: Env, key: string): Result<number | undefined> {
  const raw = value(env, key);
  if (raw === undefined) return ok(undefined);
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 && n <= 65_535
    ? ok(n)
    : err(`${key}: "${raw}" is not a port number (0-65535)`);
}

function ids(env: Env, key: string, pattern: RegExp): Result<string[]> {
  const list = (value(env, key) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((id) => !pattern.test(id));
  return bad.length
    ? err(
        `${key}: ${bad.map((b) => `"${b}"`).join(', ')} ${bad.length > 1 ? 'are not' : 'is not a'} Slack id`,
      )
    : ok(list);
}

export function readSlackConfig(env: Env): Result<SlackConfig> {
  const problems: string[] = [];
  const appToken = value(env, 'SLACK_APP_TOKEN');
  const botToken = value(env, 'SLACK_BOT_TOKEN');
  const signingSecret = value(env, 'SLACK_SIGNING_SECRET');
  const clientId = value(env, 'SLACK_CLIENT_ID');
  const clientSecret = value(env, 'SLACK_CLIENT_SECRET');
  const stateSecret = value(env, 'SLACK_STATE_SECRET');

  if (appToken && !appToken.startsWith('xapp-'))
    problems.push('SLACK_APP_TOKEN: an app-level token starts with xapp-');
  if (botToken && !botToken.startsWith('xoxb-'))
    problems.push('SLACK_BOT_TOKEN: a bot token starts with xoxb-');
  const httpPort = port(env, 'PORT');
  const installPort = port(env, 'SLACK_INSTALL_PORT');
  for (const p of [httpPort, installPort]) if (!p.ok) problems.push(p.error);

  let transport: SlackTransport | undefined;
  if (appToken) transport = { kind: 'socket', appToken };
  else if (signingSecret) transport = { kind: 'http', port: (httpPort.ok && httpPort.value) || 3000 };
  else problems.push('set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET with PORT (HTTP mode)');

  let auth: SlackAuth | undefined;
  if (clientId || clientSecret) {
    if (botToken)
      problems.push(
        'SLACK_BOT_TOKEN and SLACK_CLIENT_ID exclude each other: one workspace by token, or many by OAuth',
      );
    const tokenKey = value(env, 'FACEOFF_SLACK_TOKEN_KEY')
      ? parseSecretKey(env.FACEOFF_SLACK_TOKEN_KEY, 'FACEOFF_SLACK_TOKEN_KEY')
      : err<Uint8Array>(
          "FACEOFF_SLACK_TOKEN_KEY: OAuth installs keep each workspace's tokens in the database, encrypted " +
            'with this key; set 32 random bytes as base64 or 64 hex characters (openssl rand -base64 32)',
        );
    if (!tokenKey.ok) problems.push(tokenKey.error);
    if (!clientId || !clientSecret || !stateSecret) {
      problems.push('OAuth installs need SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET');
    } else if (tokenKey.ok) {
      auth = {
        kind: 'oauth',
        clientId,
        clientSecret,
        stateSecret,
        scopes: BOT_SCOPES,
        tokenKey: tokenKey.value,
      };
    }
  } else if (botToken) {
    auth = { kind: 'token', botToken };
  } else {
    problems.push(
      'set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET (OAuth)',
    );
  }

  const apiUrl = value(env, 'SLACK_API_URL');
  const apiUrlProblem = apiUrl ? httpUrlProblem(apiUrl) : null;
  if (apiUrlProblem) problems.push(`SLACK_API_URL: ${apiUrlProblem}`);
  const dispatchers = ids(env, 'FACEOFF_SLACK_DISPATCHERS', /^[UW][A-Z0-9]+$/);
  if (!dispatchers.ok) problems.push(dispatchers.error);
  const dispatchGroup = value(env, 'FACEOFF_SLACK_DISPATCH_GROUP');
  if (dispatchGroup && !/^S[A-Z0-9]+$/.test(dispatchGroup)) {
    problems.push(`FACEOFF_SLACK_DISPATCH_GROUP: "${dispatchGroup}" is not a user group id (S...)`);
  }
  const pacing = value(env, 'FACEOFF_SLACK_PACING')?.toLowerCase() ?? 'on';
  if (!['on', 'off', '1', '0'].includes(pacing))
    problems.push(`FACEOFF_SLACK_PACING: "${pacing}" is not on or off`);
  if (problems.length || !transport || !auth) return err(problems.join('\n'));
  return ok({
    transport,
    auth,
    signingSecret,
    apiUrl: apiUrl ? (apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`) : undefined,
    dispatchers: dispatchers.ok ? dispatchers.value : [],
    dispatchGroup,
    installPort: installPort.ok ? installPort.value : undefined,
    pacing: pacing === 'on' || pacing === '1',
  });
}
