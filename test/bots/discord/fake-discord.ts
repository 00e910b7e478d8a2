/**
 * A local stand-in for Discord: the REST API under /api/v10 (records every call) and the gateway
 * (hello, identify -> READY + GUILD_CREATE, heartbeats, resume with replay) on 127.0.0.1. The
 * gateway shards as Discord does: an IDENTIFY with `shard: [id, count]` gets the guilds whose
 * `(guild_id >> 22) % count` is `id`, and their events; DMs go to shard 0.
 */
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type WebSocket, WebSocketServer } from 'ws';
import { type BodyPlan, type ServedBody, serveBody } from '../../support/served-body';
import { checkDiscordCall, type DiscordError } from './discord-limits';
import { DiscordRateLimits } from './discord-rate-limits';
import { fixture, IDS, nextId } from './payloads';

type Json = Record<string, unknown>;

/** The shard Discord sends a guild's events to (https://discord.com/developers/docs/events/gateway#sharding). */
export const shardOf = (guildId: string, count: number): number =>
  Number((BigInt(guildId) >> 22n) % BigInt(count));

/** The guild an event belongs to (the guild itself for GUILD_CREATE); none for DMs. */
const guildOf = (t: string, d: unknown): string | undefined => {
  const data = (d ?? {}) as Json;
  const id = t.startsWith('GUILD_') && !('guild_id' in data) ? data.id : data.guild_id;
  return typeof id === 'string' ? id : undefined;
};

/** One gateway session: a shard's identify, its own sequence and the events kept for its resume. */
interface GatewaySession {
  id: string;
  shard: [number, number];
  socket: WebSocket | undefined;
  seq: number;
  log: { s: number; t: string; d: unknown }[];
}

export interface FakeDiscordOptions {
  /** What GET /gateway/bot recommends (`shards`); default 1. */
  recommendedShards?: number;
  /** How many shards may identify at once (`session_start_limit.max_concurrency`); default 1. */
  maxConcurrency?: number;
  /**
   * The fewest shards Discord accepts for this bot: an IDENTIFY with fewer is closed with 4011
   * (sharding required), as for a bot in too many servers.
   */
  shardsRequired?: number;
}

export interface RestCall {
  method: string;
  /** Decoded path after /api/v10, e.g. `/webhooks/APP/TOKEN/messages/@original`. */
  path: string;
  body: Json | undefined;
  files: { name: string; type: string; bytes: Uint8Array }[];
  /** What the fake answered (the posted message, the created thread). */
  response?: unknown;
  /** performance.now() when the request arrived. */
  at: number;
}

async function readBody(req: IncomingMessage): Promise<Pick<RestCall, 'body' | 'files'>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data'))
    return { body: raw.length ? (JSON.parse(raw.toString()) as Json) : undefined, files: [] };
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  const files: RestCall['files'] = [];
  let body: Json | undefined;
  for (const [key, value] of form) {
    if (typeof value === 'string') body = key === 'payload_json' ? (JSON.parse(value) as Json) : body;
    else files.push({ name: value.name, type: value.type, bytes: new Uint8Array(await value.arrayBuffer()) });
  }
  return { body, files };
}

export class FakeDiscord {
  readonly calls: RestCall[] = [];
  /** Gateway frames the client sent (identify, resume, heartbeats). */
  readonly received: { op: number; d: unknown }[] = [];
  /** Served at `${url}/files/<name>` (attachment downloads). */
  readonly files = new Map<string, Uint8Array>();
  /** Files answered with a planned body instead (endless, slow, late), by name. */
  readonly fileBodies = new Map<string, BodyPlan>();
  /** Files answered with a 302 to this address, by name. */
  readonly fileRedirects = new Map<string, string>();
  /** Every attachment download asked for (path and query). */
  readonly fileRequests: string[] = [];
  /** Planned bodies served, each once it ended or the client hung up. */
  readonly served: ServedBody[] = [];
  readonly channels = new Map<string, Json>();
  /** REST calls answered HTTP 400 because they broke a documented limit, not in `calls`. */
  readonly rejections: (RestCall & { error: DiscordError })[] = [];
  /** REST calls answered HTTP 429 instead (see rateLimitOnce), not in `calls`. */
  readonly rateLimited: RestCall[] = [];
  private readonly limitNext: { method: string; path: RegExp }[] = [];
  /** Discord's rate limits, once `enforceLimits` was called (none by default). */
  limits: DiscordRateLimits | undefined;
  /** Posts repeating a nonce with enforce_nonce, answered with the first message instead, not in `calls`. */
  readonly deduplicated: RestCall[] = [];
  private readonly nonces = new Map<string, Json>();
  /** Calls answered with an error status instead (see failNext), not in `calls`. */
  readonly refused: (RestCall & { status: number })[] = [];
  private readonly failures: { method: string; path: RegExp; status: number; retryAfterS: number }[] = [];
  /** The `[id, count]` of every IDENTIFY, in order (`[0, 1]` when it named no shard). */
  readonly identified: [number, number][] = [];
  private readonly events = new EventEmitter();
  private readonly sessions = new Map<string, GatewaySession>();
  private sessionCount = 0;
  private readonly originals = new Map<string, string>();
  private readonly tokenChannels = new Map<string, string>();
  url = '';

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    private readonly guilds: Json[],
    private readonly options: FakeDiscordOptions,
  ) {
    for (const guild of guilds)
      for (const c of guild.channels as Json[])
        this.channels.set(c.id as string, { ...c, guild_id: guild.id });
    this.channels.set(IDS.dm, (fixture<Json>('interaction-command-dm').channel as Json) ?? {});
  }

  static async start(
    guilds: Json[] = [fixture('guild-create')],
    options: FakeDiscordOptions = {},
  ): Promise<FakeDiscord> {
    const server = createServer();
    const fake = new FakeDiscord(server, new WebSocketServer({ server }), guilds, options);
    server.on('request', (req, res) => void fake.serve(req, res));
    fake.wss.on('connection', (socket) => fake.connect(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The next `method` call whose path matches is answered HTTP 429 with a 50 ms Retry-After. */
  /**
   * From now on, every REST answer carries Discord's X-RateLimit-* headers, and a request over a
   * limit is answered 429 with Retry-After (in `rateLimited`, counted in `limits.overLimit`).
   */
  enforceLimits(limits = new DiscordRateLimits()): DiscordRateLimits {
    this.limits = limits;
    return limits;
  }

  rateLimitOnce(method: string, path: RegExp): void {
    this.limitNext.push({ method, path });
  }

  /**
   * The next `count` `method` calls whose path matches are answered `status` (500: Discord's
   * server failing; 429: rate limited, asking to wait `retryAfterS` seconds).
   */
  failNext(method: string, path: RegExp, status: number, count: number, retryAfterS = 1): void {
    for (let i = 0; i < count; i++) this.failures.push({ method, path, status, retryAfterS });
  }

  get apiUrl(): string {
    return `${this.url}/api`;
  }

  private message(channelId: string, body: Json | undefined, files: RestCall['files'], id = nextId()): Json {
    const channel = this.channels.get(channelId);
    return {
      ...(fixture<Json>('interaction-button').message as Json),
      id,
      channel_id: channelId,
      ...(channel?.guild_id ? { guild_id: channel.guild_id } : {}),
      content: body?.content ?? '',
      embeds: body?.embeds ?? [],
      components: body?.components ?? [],
      attachments: files.map((f) => {
        const id = nextId();
        this.files.set(`${id}/${f.name}`, f.bytes);
        const url = `${this.url}/files/${id}/${f.name}`;
        return { id, filename: f.name, size: f.bytes.length, url, proxy_url: url };
      }),
    };
  }

  private answer(call: RestCall): [number, unknown] {
    const p = call.path.split('/').slice(1);
    const is = (method: string, pattern: string) =>
      method === call.method &&
      pattern.split('/').length === p.length + 1 &&
      pattern
        .split('/')
        .slice(1)
        .every((s, i) => s === '*' || s === p[i]);
    if (is('GET', '/gateway/bot')) {
      const limit = {
        total: 1000,
        remaining: 999,
        reset_after: 0,
        max_concurrency: this.options.maxConcurrency ?? 1,
      };
      const shards = this.options.recommendedShards ?? 1;
      return [200, { url: this.url.replace('http', 'ws'), shards, session_start_limit: limit }];
    }
    if (is('POST', '/interactions/*/*/callback')) return [204, undefined];
    if (is('PATCH', '/webhooks/*/*/messages/*') || is('POST', '/webhooks/*/*')) {
      const token = p[2] ?? '';
      const id = p[4] === '@original' ? (this.originals.get(token) ?? nextId()) : (p[4] ?? nextId());
      if (p[4] === '@original') this.originals.set(token, id);
      return [200, this.message(this.tokenChannels.get(token) ?? IDS.channel, call.body, call.files, id)];
    }
    if (
      call.method === 'DELETE' ||
      is('PUT', '/channels/*/thread-members/*') ||
      is('POST', '/channels/*/typing')
    )
      return [204, undefined];
    if (is('POST', '/channels/*/messages')) return [200, this.message(p[1] ?? '', call.body, call.files)];
    if (is('PATCH', '/channels/*/messages/*'))
      return [200, this.message(p[1] ?? '', call.body, call.files, p[3])];
    if (is('POST', '/channels/*/messages/*/threads')) {
      const parent = this.channels.get(p[1] ?? '');
      const base = fixture<Json>('interaction-button').channel as Json;
      const thread = {
        ...base,
        id: p[3],
        name: call.body?.name,
        parent_id: p[1],
        guild_id: parent?.guild_id,
      };
      this.channels.set(p[3] ?? '', thread);
      return [201, thread];
    }
    if (is('GET', '/channels/*')) {
      const channel = this.channels.get(p[1] ?? '');
      return channel ? [200, channel] : [404, { message: 'Unknown Channel', code: 10003 }];
    }
    if (is('PUT', '/applications/*/commands') || is('PUT', '/applications/*/guilds/*/commands')) {
      return [
        200,
        ((call.body as unknown as Json[]) ?? []).map((c) => ({
          ...c,
          id: nextId(),
          application_id: p[1],
          version: nextId(),
        })),
      ];
    }
    return [404, { message: '404: Not Found', code: 0 }];
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path.startsWith('/files/')) {
      this.fileRequests.push(req.url ?? '');
      const name = decodeURIComponent(path.slice('/files/'.length));
      const redirect = this.fileRedirects.get(name);
      const plan = this.fileBodies.get(name);
      if (redirect) res.writeHead(302, { location: redirect }).end();
      else if (plan) this.served.push(await serveBody(path, res, plan));
      else {
        const file = this.files.get(name);
        res.writeHead(file ? 200 : 404).end(file);
      }
      return;
    }
    const at = performance.now();
    const call: RestCall = {
      at,
      method: req.method ?? 'GET',
      path: path
        .replace(/^\/api\/v\d+/, '')
        .split('/')
        .map(decodeURIComponent)
        .join('/'),
      ...(await readBody(req)),
    };
    const failure = this.failures.findIndex((f) => f.method === call.method && f.path.test(call.path));
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      const status = f?.status ?? 500;
      this.refused.push({ ...call, status });
      const limited = status === 429;
      res
        .writeHead(status, {
          'content-type': 'application/json',
          ...(limited ? { 'retry-after': String(f?.retryAfterS ?? 1), 'x-ratelimit-scope': 'user' } : {}),
        })
        .end(
          JSON.stringify(
            limited
              ? { message: 'You are being rate limited.', retry_after: f?.retryAfterS ?? 1, global: false }
              : { message: '500: Internal Server Error', code: 0 },
          ),
        );
      return;
    }
    const limit = this.limitNext.findIndex((l) => l.method === call.method && l.path.test(call.path));
    if (limit >= 0) {
      this.limitNext.splice(limit, 1);
      this.rateLimited.push(call);
      const body = { message: 'You are being rate limited.', retry_after: 0.05, global: false };
      res
        .writeHead(429, {
          'content-type': 'application/json',
          'retry-after': '0.05',
          'x-ratelimit-scope': 'user',
        })
        .end(JSON.stringify(body));
      return;
    }
    const limits = this.limits?.take(call.method, call.path, req.headers.authorization ?? '');
    if (limits?.limited) {
      this.rateLimited.push(call);
      res
        .writeHead(429, { 'content-type': 'application/json', ...limits.headers })
        .end(JSON.stringify(limits.limited.body));
      return;
    }
    const limitHeaders = limits?.headers ?? {};
    const error = checkDiscordCall(
      call.method,
      call.path,
      call.body,
      call.files.map((f) => f.bytes.length),
    );
    if (error) {
      this.rejections.push({ ...call, error });
      res
        .writeHead(400, { 'content-type': 'application/json', ...limitHeaders })
        .end(JSON.stringify(error.body));
      return;
    }
    // Discord's enforce_nonce: a message with a nonce seen in the last few minutes is not posted
    // again; the message created the first time is returned.
    const nonce = call.body?.enforce_nonce === true ? call.body?.nonce : undefined;
    const seen = typeof nonce === 'string' ? this.nonces.get(`${call.path}|${nonce}`) : undefined;
    if (seen && call.method === 'POST') {
      this.deduplicated.push(call);
      res.writeHead(200, { 'content-type': 'application/json', ...limitHeaders }).end(JSON.stringify(seen));
      return;
    }
    this.calls.push(call);
    const [status, body] = this.answer(call);
    if (typeof nonce === 'string' && status === 200) this.nonces.set(`${call.path}|${nonce}`, body as Json);
    call.response = body;
    res
      .writeHead(
        status,
        body === undefined ? limitHeaders : { 'content-type': 'application/json', ...limitHeaders },
      )
      .end(body === undefined ? undefined : JSON.stringify(body));
    this.events.emit('call', call);
  }

  private send(socket: WebSocket, frame: Json): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  }

  private connect(socket: WebSocket): void {
    this.send(socket, { op: 10, d: { heartbeat_interval: 41_250 } });
    socket.on('close', () => {
      for (const session of this.sessions.values()) if (session.socket === socket) session.socket = undefined;
    });
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as {
        op: number;
        d: { seq?: number; session_id?: string; shard?: [number, number] };
      };
      this.received.push(frame);
      this.events.emit('op', frame);
      if (frame.op === 1) this.send(socket, { op: 11 });
      if (frame.op === 2) this.identify(socket, frame.d.shard ?? [0, 1]);
      if (frame.op === 6) {
        const session = this.sessions.get(frame.d.session_id ?? '');
        if (!session) {
          this.send(socket, { op: 9, d: false });
          return;
        }
        session.socket = socket;
        for (const event of session.log.filter((e) => e.s > (frame.d.seq ?? 0)))
          this.send(socket, { op: 0, ...event });
        this.sendTo(session, 'RESUMED', {});
      }
    });
  }

  /** A new session for the shard (replacing an earlier one): READY and a GUILD_CREATE per guild of the shard. */
  private identify(socket: WebSocket, shard: [number, number]): void {
    const [id, count] = shard;
    if (!Number.isInteger(count) || count < 1 || !Number.isInteger(id) || id < 0 || id >= count) {
      socket.close(4010, 'Invalid shard.');
      return;
    }
    this.identified.push([id, count]);
    if (count < (this.options.shardsRequired ?? 1)) {
      socket.close(4011, 'Sharding required.');
      return;
    }
    for (const [key, old] of this.sessions)
      if (old.shard[0] === id && old.shard[1] === count) this.sessions.delete(key);
    const session: GatewaySession = {
      id: `fake-session-${++this.sessionCount}`,
      shard: [id, count],
      socket,
      seq: 0,
      log: [],
    };
    this.sessions.set(session.id, session);
    const guilds = this.guilds.filter((g) => shardOf(g.id as string, count) === id);
    this.sendTo(session, 'READY', {
      ...fixture<Json>('ready'),
      resume_gateway_url: this.url.replace('http', 'ws'),
      session_id: session.id,
      shard: [id, count],
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
    });
    for (const guild of guilds) this.sendTo(session, 'GUILD_CREATE', guild);
  }

  /** Sends an event in a session with its next sequence number; kept for replay on resume. */
  private sendTo(session: GatewaySession, t: string, d: unknown): void {
    const event = { s: ++session.seq, t, d };
    session.log.push(event);
    if (session.socket) this.send(session.socket, { op: 0, ...event });
  }

  /**
   * Sends a gateway event to the session of the shard its guild belongs to (shard 0 for DMs), as
   * Discord routes it; kept for replay on resume.
   */
  dispatch(t: string, d: unknown): void {
    const guild = guildOf(t, d);
    for (const session of this.sessions.values()) {
      const [id, count] = session.shard;
      if ((guild === undefined ? 0 : shardOf(guild, count)) === id) this.sendTo(session, t, d);
    }
  }

  /** Dispatches an interaction, remembering its channel for the webhook messages that answer it. */
  interact(payload: Json): { id: string; token: string } {
    this.tokenChannels.set(payload.token as string, payload.channel_id as string);
    this.dispatch('INTERACTION_CREATE', payload);
    return { id: payload.id as string, token: payload.token as string };
  }

  /** Closes every gateway connection from the server side (the client should resume). */
  dropConnections(code = 4000): void {
    for (const session of this.sessions.values()) {
      session.socket?.close(code, 'dropped by the test');
      session.socket = undefined;
    }
  }

  /** The first call from index `from` on that matches, waiting for it up to `timeoutMs`. */
  async waitForCall(match: (call: RestCall) => boolean, from = 0, timeoutMs = 10_000): Promise<RestCall> {
    const found = this.calls.slice(from).find(match);
    if (found) return found;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('call', listener);
        reject(
          new Error(
            `no matching REST call in ${timeoutMs} ms; calls: ${this.calls
              .slice(from)
              .map((c) => `${c.method} ${c.path}`)
              .join(', ')}`,
          ),
        );
      }, timeoutMs);
      const listener = (call: RestCall) => {
        if (!match(call)) return;
        clearTimeout(timer);
        this.events.off('call', listener);
        resolve(call);
      };
      this.events.on('call', listener);
    });
  }

  async waitForOp(op: number, timeoutMs = 10_000): Promise<void> {
    if (this.received.some((f) => f.op === op)) return;
    await once(this.events, 'op', { signal: AbortSignal.timeout(timeoutMs) }).then(() =>
      this.waitForOp(op, timeoutMs),
    );
  }

  /** Fails when the app sent anything real Discord would have refused for breaking a documented limit. */
  assertNoRejections(): void {
    if (!this.rejections.length) return;
    const list = this.rejections.map(
      (r) => `${r.method} ${r.path}: ${r.error.fields.map((f) => `${f.path} ${f.message}`).join('; ')}`,
    );
    throw new Error(`Discord would have refused ${list.length} payload(s):\n${list.join('\n')}`);
  }

  async close(): Promise<void> {
    for (const socket of this.wss.clients) socket.terminate();
    await new Promise((resolve) => this.wss.close(resolve));
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
