/**
 * A Discord REST stand-in for the chat load: fetching a channel, posting and editing messages,
 * with Discord's rate limits enforced (discord-rate-limits.ts: X-RateLimit-* headers on every
 * answer, 429 with Retry-After past a limit). Channels are DM channels, which discord.js needs no
 * gateway or guild for.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DiscordRateLimits } from '../bots/discord/discord-rate-limits';

export interface PeerCall {
  method: string;
  channel: string;
  content: string;
  at: number;
}

let seq = 100_000;

export class DiscordRestPeer {
  readonly calls: PeerCall[] = [];
  /** Requests answered 429. */
  answered429 = 0;

  private constructor(
    private readonly server: Server,
    readonly limits: DiscordRateLimits,
  ) {}

  static async start(): Promise<DiscordRestPeer> {
    const server = createServer();
    const peer = new DiscordRestPeer(server, new DiscordRateLimits());
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = decodeURIComponent((req.url ?? '').replace(/^\/api\/v10/, '').split('?')[0] ?? '');
        const token = (req.headers.authorization ?? '').replace(/^Bot /, '');
        const answer = peer.limits.take(req.method ?? '', path, token);
        if (answer.limited) {
          peer.answered429 += 1;
          res
            .writeHead(429, { 'content-type': 'application/json', ...answer.headers })
            .end(JSON.stringify(answer.limited.body));
          return;
        }
        const body = peer.body(req.headers['content-type'] ?? '', Buffer.concat(chunks));
        const [status, json] = peer.answer(req.method ?? '', path, body);
        res
          .writeHead(status, { 'content-type': 'application/json', ...answer.headers })
          .end(JSON.stringify(json));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return peer;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`;
  }

  private body(type: string, raw: Buffer): { content?: string } {
    const text = raw.toString('utf8');
    if (type.includes('application/json')) return JSON.parse(text || '{}');
    const json = /name="payload_json"\r\n(?:[^\r\n]*\r\n)*?\r\n([\s\S]*?)\r\n--/.exec(text)?.[1];
    return json ? JSON.parse(json) : {};
  }

  private message(channel: string, id: string, content: string) {
    return {
      id,
      channel_id: channel,
      type: 0,
      content,
      author: { id: '1', username: 'faceoff', discriminator: '0', avatar: null, bot: true },
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      flags: 0,
    };
  }

  private answer(method: string, path: string, body: { content?: string }): [number, unknown] {
    const p = path.split('/');
    const channel = p[2] ?? '';
    if (method === 'GET' && p.length === 3 && p[1] === 'channels')
      return [
        200,
        {
          id: channel,
          type: 1,
          last_message_id: null,
          recipients: [{ id: '2', username: 'someone', discriminator: '0', avatar: null }],
        },
      ];
    if (method === 'POST' && p.length === 4 && p[3] === 'messages') {
      this.calls.push({ method: 'create', channel, content: body.content ?? '', at: Date.now() });
      seq += 1;
      return [200, this.message(channel, String(seq), body.content ?? '')];
    }
    if (method === 'PATCH' && p.length === 5 && p[3] === 'messages') {
      this.calls.push({ method: 'edit', channel, content: body.content ?? '', at: Date.now() });
      return [200, this.message(channel, p[4] ?? '', body.content ?? '')];
    }
    return [404, { message: 'Unknown', code: 0 }];
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}
