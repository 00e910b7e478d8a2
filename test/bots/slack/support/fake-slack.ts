/**
 * A local stand-in for Slack on 127.0.0.1: the Web API methods Faceoff calls (recorded, answered
 * like Slack does), the file upload URL, response_url, private file downloads and the Socket Mode
 * websocket. Slack itself cannot be reached from the test machines.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { type BodyPlan, type ServedBody, serveBody } from '../../../support/served-body';
import { checkSlackCall, checkSlackMessage, checkSlackUpload, type SlackRejection } from './slack-limits';

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  /** What the stand-in answered (e.g. the ts of a posted message). */
  result: Record<string, unknown>;
  /** When it arrived (ms since the epoch). */
  at?: number;
}

/** A rate limit the stand-in enforces: calls per second, the burst allowed, and what it counts against. */
export interface PeerLimit {
  perSecond: number;
  burst: number;
  per: 'workspace' | 'channel';
}

/**
 * Slack's published limits (api.slack.com/apis/rate-limits): chat.postMessage about one message a
 * second per channel with short bursts; Tier 2 20 a minute, Tier 3 50, Tier 4 100, per workspace
 * (the token) and method.
 */
export const SLACK_PEER_LIMITS: Record<string, PeerLimit> = {
  'chat.postMessage': { perSecond: 1, burst: 3, per: 'channel' },
  'chat.update': { perSecond: 50 / 60, burst: 5, per: 'workspace' },
  'chat.postEphemeral': { perSecond: 100 / 60, burst: 5, per: 'workspace' },
  'chat.delete': { perSecond: 50 / 60, burst: 5, per: 'workspace' },
  'files.getUploadURLExternal': { perSecond: 100 / 60, burst: 5, per: 'workspace' },
  'files.completeUploadExternal': { perSecond: 100 / 60, burst: 5, per: 'workspace' },
  'files.info': { perSecond: 100 / 60, burst: 5, per: 'workspace' },
  'views.open': { perSecond: 100 / 60, burst: 5, per: 'workspace' },
  'users.info': { perSecond: 100 / 60, burst: 5, per: 'workspace' },
  'usergroups.users.list': { perSecond: 20 / 60, burst: 3, per: 'workspace' },
};

/** A payload the stand-in refused because it broke one of Slack's documented limits. */
export interface Rejection extends SlackRejection {
  /** The Web API method, `response_url` or `upload`. */
  method: string;
  args: Record<string, unknown>;
}

export const BOT_USER = 'UFACEOFF1';
export const BOT_TOKEN = 'xoxb-test-faceoff';

const JSON_ARGS = new Set(['blocks', 'view', 'files', 'attachments']);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseArgs(req: IncomingMessage, body: Buffer): Record<string, unknown> {
  if ((req.headers['content-type'] ?? '').includes('application/json'))
    return JSON.parse(body.toString() || '{}');
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body.toString())) args[k] = JSON_ARGS.has(k) ? JSON.parse(v) : v;
  return args;
}

export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: Record<string, unknown>[] = [];
  /**
   * Bodies POSTed to upload URLs: multipart as the WebClient's files.uploadV2 sends them, raw bytes
   * as the poster streams a local file (`type` tells which).
   */
  readonly uploads: { fileId: string; bytes: number; content: string; sha256: string; type: string }[] = [];
  readonly downloads: { path: string; authorization: string | undefined }[] = [];
  /**
   * Files served at /files-pri/<id>/<name>, described by files.info. `body` serves a planned body
   * instead of `content` (endless, slow, late); `redirect` answers 302 to that address.
   */
  readonly files = new Map<
    string,
    { name: string; content: string; mimetype: string; body?: BodyPlan; redirect?: string }
  >();
  /** Planned bodies served, each once it ended or the client hung up. */
  readonly served: ServedBody[] = [];
  /** Payloads answered with a limit error (invalid_blocks, msg_blocks_too_long, ...), in order. */
  readonly rejections: Rejection[] = [];
  readonly userGroups = new Map<string, string[]>();
  readonly admins = new Set<string>();
  /** Web API methods answered HTTP 429 (rateLimitOnce's with Retry-After: 0; enforced limits'), in order. */
  readonly rateLimited: string[] = [];
  private readonly limitNext = new Set<string>();
  /** Limits enforced (none unless `enforceLimits` was called): a call over one is answered 429. */
  private limits: Record<string, PeerLimit> = {};
  /** Per workspace, method (and channel): when the next call conforms (the cell rate algorithm). */
  private readonly due = new Map<string, number>();
  /** Calls that arrived over an enforced limit (each answered 429 with Retry-After). */
  overLimit = 0;
  private seq = 0;
  private socket: WebSocket | undefined;
  private readonly acks = new Map<string, (payload: unknown) => void>();
  private readonly wss = new WebSocketServer({ noServer: true });

  private constructor(readonly server: Server) {}

  static async start(): Promise<FakeSlack> {
    const server = createServer();
    const fake = new FakeSlack(server);
    server.on('request', (req, res) => {
      const planned = fake.plannedFile(req);
      if (planned) {
        void serveBody(req.url ?? '', res, planned).then((served) => fake.served.push(served));
        return;
      }
      fake.handle(req).then(
        ({ status, body, type, location, retryAfter }) =>
          res
            .writeHead(status, {
              'content-type': type,
              ...(location ? { location } : {}),
              ...(retryAfter !== undefined ? { 'retry-after': retryAfter } : {}),
            })
            .end(body),
        (e: Error) => res.writeHead(500).end(e.message),
      );
    });
    server.on('upgrade', (req, socket, head) =>
      fake.wss.handleUpgrade(req, socket, head, (ws) => fake.connect(ws)),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get base(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  nextTs(): string {
    this.seq += 1;
    return `1712345${String(this.seq).padStart(3, '0')}.${String(this.seq * 7).padStart(6, '0')}`;
  }

  /** The next call to `method` is answered HTTP 429 with Retry-After: 0, as Slack does when rate limited. */
  rateLimitOnce(method: string): void {
    this.limitNext.add(method);
  }

  /**
   * From now on, answers a call over one of `limits` HTTP 429 with Retry-After (whole seconds, as
   * Slack does) and counts it in `overLimit`.
   */
  enforceLimits(limits: Record<string, PeerLimit> = SLACK_PEER_LIMITS): void {
    this.limits = limits;
  }

  /** Seconds to wait when the call is over its limit, else undefined (and the call is counted). */
  private overLimitBy(method: string, token: string, args: Record<string, unknown>): number | undefined {
    const limit = this.limits[method];
    if (!limit) return undefined;
    const key = `${token}\u0000${method}${limit.per === 'channel' ? `\u0000${String(args.channel ?? '')}` : ''}`;
    const interval = 1000 / limit.perSecond;
    const now = Date.now();
    const due = this.due.get(key) ?? now;
    const earliest = due - (limit.burst - 1) * interval;
    if (now < earliest) return Math.max(1, Math.ceil((earliest - now) / 1000));
    this.due.set(key, Math.max(due, now) + interval);
    return undefined;
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  private answer(method: string, a: Record<string, unknown>): Record<string, unknown> {
    const ts = () => this.nextTs();
    switch (method) {
      case 'auth.test':
        return {
          user_id: BOT_USER,
          bot_id: 'BFACEOFF1',
          team_id: 'T0FACEOFF',
          user: 'faceoff',
          url: 'https://faceoff.slack.com/',
        };
      case 'chat.postMessage':
        return { channel: a.channel, ts: ts(), message: { text: a.text, thread_ts: a.thread_ts } };
      case 'chat.update':
        return { channel: a.channel, ts: a.ts };
      case 'chat.postEphemeral':
        return { message_ts: ts() };
      case 'views.open':
        return { view: { id: `V${randomBytes(4).toString('hex').toUpperCase()}` } };
      case 'files.getUploadURLExternal': {
        const id = `F${randomBytes(4).toString('hex').toUpperCase()}`;
        return { file_id: id, upload_url: `${this.base}/upload/${id}` };
      }
      case 'files.completeUploadExternal':
        return {
          files: (a.files as { id: string; title?: string }[]).map((f) => ({ id: f.id, title: f.title })),
        };
      case 'files.info': {
        const file = this.files.get(String(a.file));
        if (!file) return { ok: false, error: 'file_not_found' };
        const url = `https://files.slack.com/files-pri/T0FACEOFF-${a.file}/${file.name}`;
        return {
          file: {
            id: a.file,
            name: file.name,
            size: file.content.length,
            mimetype: file.mimetype,
            url_private: url,
            url_private_download: `${url}?download=1`,
          },
        };
      }
      case 'usergroups.users.list':
        return { users: this.userGroups.get(String(a.usergroup)) ?? [] };
      case 'users.info':
        return {
          user: { id: a.user, name: String(a.user).toLowerCase(), is_admin: this.admins.has(String(a.user)) },
        };
      case 'apps.connections.open':
        return { url: `${this.base.replace('http', 'ws')}/socket` };
      case 'oauth.v2.access':
        return {
          access_token: `xoxb-installed-${a.code}`,
          token_type: 'bot',
          scope: 'commands,chat:write',
          bot_user_id: BOT_USER,
          app_id: 'A0FACEOFF',
          team: { id: String(a.code).toUpperCase(), name: 'Installed team' },
          enterprise: null,
          is_enterprise_install: false,
          authed_user: { id: 'UINSTALLER' },
        };
      default:
        return {};
    }
  }

  /** Slack's answer to a payload over a limit: HTTP 200, ok false, the error and its detail lines. */
  private reject(method: string, args: Record<string, unknown>, rejection: SlackRejection) {
    this.rejections.push({ method, args, ...rejection });
    return {
      ok: false,
      error: rejection.error,
      ...(rejection.errors.length ? { errors: rejection.errors } : {}),
      response_metadata: { messages: rejection.errors },
    };
  }

  private fileOf(path: string) {
    return this.files.get(/-(F\w+)\//.exec(path)?.[1] ?? '');
  }

  private plannedFile(req: IncomingMessage): BodyPlan | undefined {
    const path = req.url ?? '';
    if (!path.startsWith('/files-pri/') || req.headers.authorization !== `Bearer ${BOT_TOKEN}`)
      return undefined;
    const body = this.fileOf(path)?.body;
    if (body)
      this.downloads.push({ path: path.split('?')[0] ?? '', authorization: req.headers.authorization });
    return body;
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; body: string; type: string; location?: string; retryAfter?: string }> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', this.base);
    const json = (value: unknown) => ({ status: 200, body: JSON.stringify(value), type: 'application/json' });
    if (url.pathname.startsWith('/api/')) {
      const method = url.pathname.slice(5);
      if (this.limitNext.delete(method)) {
        this.rateLimited.push(method);
        const limited = JSON.stringify({ ok: false, error: 'ratelimited' });
        return { status: 429, body: limited, type: 'application/json', retryAfter: '0' };
      }
      const args = parseArgs(req, body);
      const token =
        (req.headers.authorization ?? '').replace(/^Bearer /, '') || (args.token as string | undefined);
      const wait = this.overLimitBy(method, token ?? '', args);
      if (wait !== undefined) {
        this.overLimit += 1;
        this.rateLimited.push(method);
        const limited = JSON.stringify({ ok: false, error: 'ratelimited' });
        return { status: 429, body: limited, type: 'application/json', retryAfter: String(wait) };
      }
      const rejected = checkSlackCall(method, args);
      if (rejected) return json(this.reject(method, args, rejected));
      const result = { ok: true, ...this.answer(method, args) };
      this.calls.push({ method, args, token, result, at: Date.now() });
      return json(result);
    }
    if (url.pathname.startsWith('/upload/')) {
      const tooLarge = checkSlackUpload('upload', body.length);
      if (tooLarge) return json(this.reject('upload', { bytes: body.length }, tooLarge));
      this.uploads.push({
        fileId: url.pathname.slice(8),
        bytes: body.length,
        content: body.toString('utf8'),
        sha256: createHash('sha256').update(body).digest('hex'),
        type: req.headers['content-type'] ?? '',
      });
      return { status: 200, body: 'OK', type: 'text/plain' };
    }
    if (url.pathname.startsWith('/respond/')) {
      const message = JSON.parse(body.toString() || '{}') as Record<string, unknown>;
      const rejected = checkSlackMessage('response_url', message);
      if (rejected) return json(this.reject('response_url', message, rejected));
      this.responses.push(message);
      return json({ ok: true });
    }
    if (url.pathname.startsWith('/files-pri/')) {
      this.downloads.push({ path: url.pathname, authorization: req.headers.authorization });
      const file = this.fileOf(url.pathname);
      if (!file || req.headers.authorization !== `Bearer ${BOT_TOKEN}`)
        return { status: 404, body: 'no', type: 'text/plain' };
      if (file.redirect) return { status: 302, body: '', type: 'text/plain', location: file.redirect };
      return { status: 200, body: file.content, type: 'application/octet-stream' };
    }
    return { status: 404, body: 'not found', type: 'text/plain' };
  }

  private connect(ws: WebSocket): void {
    this.socket = ws;
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { envelope_id?: string; payload?: unknown };
      if (message.envelope_id) this.acks.get(message.envelope_id)?.(message.payload ?? {});
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0FACEOFF' } }));
  }

  /** Sends a Socket Mode envelope; resolves with the payload the app acknowledged it with. */
  sendEnvelope(envelope: {
    envelope_id: string;
    type: string;
    payload: unknown;
    retry_attempt?: number;
  }): Promise<unknown> {
    const socket = this.socket;
    if (!socket) throw new Error('no Socket Mode connection');
    const acked = new Promise<unknown>((resolve) => this.acks.set(envelope.envelope_id, resolve));
    socket.send(
      JSON.stringify({
        accepts_response_payload: envelope.type !== 'events_api',
        retry_reason: '',
        ...envelope,
      }),
    );
    return acked;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
