/**
 * Requests as Slack sends them: the recorded payload shapes from test/fixtures/slack, varied per
 * test, signed with the signing secret (v0 HMAC-SHA256 over `v0:timestamp:body`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const SIGNING_SECRET = 'test-signing-secret-8f14e45fceea167a5a36dedd4bea2543';
export const TEAM = 'T0FACEOFF';
export const CHANNEL = 'C0GENERAL1';
export const ALICE = 'U0ALICE01';

type Json = Record<string, unknown>;

export function fixture<T = Json>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/slack/${name}`, import.meta.url), 'utf8')) as T;
}

const unique = () => randomBytes(6).toString('hex');

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface PostOptions {
  timestamp?: number;
  secret?: string;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  text: string;
}

export async function signedPost(
  url: string,
  body: string,
  contentType: string,
  options: PostOptions = {},
): Promise<Answer> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(options.secret ?? SIGNING_SECRET, timestamp, body),
      ...options.headers,
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** Builds payloads from the fixtures; `respondBase` replaces hooks.slack.com response URLs. */
export class SlackPayloads {
  constructor(private readonly respondBase: string) {}

  slashCommand(text: string, over: Json = {}): Record<string, string> {
    const id = unique();
    return {
      ...fixture<Record<string, string>>('slash-command.json'),
      text,
      trigger_id: `7150000000001.4200000000001.${id}`,
      response_url: `${this.respondBase}/respond/${id}`,
      ...(over as Record<string, string>),
    };
  }

  buttonPress(
    message: { ts: string; thread: string; channel?: string },
    actionId: string,
    value: string,
    user = ALICE,
  ): Json {
    const payload = fixture('block-actions-button.json') as Json & {
      actions: Json[];
      container: Json;
      message: Json;
    };
    const action = payload.actions[0] as Json;
    return {
      ...payload,
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM },
      container: {
        ...payload.container,
        message_ts: message.ts,
        thread_ts: message.thread,
        channel_id: message.channel ?? CHANNEL,
      },
      channel: { id: message.channel ?? CHANNEL, name: 'ml-platform' },
      message: { ...payload.message, ts: message.ts, thread_ts: message.thread },
      response_url: `${this.respondBase}/respond/${unique()}`,
      trigger_id: `7150000000002.4200000000001.${unique()}`,
      actions: [{ ...action, action_id: actionId, value, action_ts: `${Date.now() / 1000}` }],
    };
  }

  selectChoice(message: { ts: string; thread: string }, actionId: string, value: string): Json {
    const payload = fixture('block-actions-select.json') as Json & {
      actions: Json[];
      container: Json;
      message: Json;
    };
    const action = payload.actions[0] as Json;
    return {
      ...payload,
      container: { ...payload.container, message_ts: message.ts, thread_ts: message.thread },
      message: { ...payload.message, ts: message.ts, thread_ts: message.thread },
      response_url: `${this.respondBase}/respond/${unique()}`,
      actions: [
        {
          ...action,
          action_id: actionId,
          selected_option: { text: { type: 'plain_text', text: value }, value },
        },
      ],
    };
  }

  viewSubmission(values: Json, origin: Json, viewId = `V${unique().toUpperCase()}`): Json {
    const payload = fixture('view-submission.json') as Json & { view: Json & { state: { values: Json } } };
    return {
      ...payload,
      view: {
        ...payload.view,
        id: viewId,
        private_metadata: JSON.stringify(origin),
        state: { values: { ...payload.view.state.values, ...values } },
      },
    };
  }

  threadMessage(text: string, thread: string, over: Json = {}): Json {
    const envelope = fixture('event-thread-message.json') as Json & { event: Json };
    const ts = `${Math.floor(Date.now() / 1000)}.${unique().slice(0, 6)}`;
    return {
      ...envelope,
      event_id: `Ev${unique().toUpperCase()}`,
      event: { ...envelope.event, text, thread_ts: thread, ts, event_ts: ts, ...over },
    };
  }

  fileShare(fileId: string, name: string, thread: string): Json {
    const envelope = fixture('event-file-share.json') as Json & { event: Json & { files: Json[] } };
    const file = { ...envelope.event.files[0], id: fileId, name };
    return {
      ...envelope,
      event_id: `Ev${unique().toUpperCase()}`,
      event: { ...envelope.event, files: [file], thread_ts: thread },
    };
  }
}

/** An Events API envelope from the recorded fixture `name`, for workspace `team`, with a fresh event id. */
function teamEvent(name: string, team: string, event: Json = {}): Json {
  const envelope = fixture(name) as Json & { event: Json; authorizations: Json[] };
  return {
    ...envelope,
    team_id: team,
    context_team_id: team,
    event_id: `Ev${unique().toUpperCase()}`,
    event: { ...envelope.event, ...event },
    authorizations: envelope.authorizations.map((a) => ({ ...a, team_id: team })),
  };
}

export const appUninstalled = (team: string): Json => teamEvent('event-app-uninstalled.json', team);

export const tokensRevoked = (team: string, tokens: { oauth?: string[]; bot?: string[] }): Json =>
  teamEvent('event-tokens-revoked.json', team, { tokens });

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
export const interaction = (payload: Json) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;
