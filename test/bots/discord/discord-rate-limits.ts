/**
 * Discord's rate limits as the Discord stand-in enforces them when asked: per route bucket and
 * channel (creating messages and editing them: 5 per 5 seconds per channel each), and the global
 * limit of 50 requests a second per bot. Every answer carries the headers Discord sends
 * (X-RateLimit-Limit, -Remaining, -Reset, -Reset-After, -Bucket); a request over a limit is counted
 * and answered 429 with Retry-After and `retry_after`, as Discord does.
 */

export interface RouteLimit {
  /** Bucket name (the X-RateLimit-Bucket hash Discord would send). */
  bucket: string;
  method: string;
  /** Path with `*` for one segment; the first `*` is the major parameter (the channel). */
  path: string;
  limit: number;
  windowMs: number;
}

export const DISCORD_ROUTE_LIMITS: RouteLimit[] = [
  { bucket: 'msgcreate', method: 'POST', path: '/channels/*/messages', limit: 5, windowMs: 5000 },
  { bucket: 'msgedit', method: 'PATCH', path: '/channels/*/messages/*', limit: 5, windowMs: 5000 },
];

export const DISCORD_GLOBAL_PER_SECOND = 50;

export interface LimitAnswer {
  headers: Record<string, string>;
  /** Set when the request is over a limit: answer 429 with this body. */
  limited?: { retryAfterS: number; global: boolean; body: Record<string, unknown> };
}

const matches = (pattern: string, path: string) => {
  const p = pattern.split('/');
  const q = path.split('?')[0]?.split('/') ?? [];
  return p.length === q.length && p.every((part, i) => part === '*' || part === q[i]);
};

export class DiscordRateLimits {
  /** Requests that arrived over a limit (each answered 429). */
  overLimit = 0;
  /** Of those, the ones over the global limit. */
  overGlobal = 0;
  private readonly windows = new Map<string, { remaining: number; resetAt: number }>();

  constructor(
    private readonly routes: RouteLimit[] = DISCORD_ROUTE_LIMITS,
    private readonly globalPerSecond = DISCORD_GLOBAL_PER_SECOND,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one request from its windows; says which headers to send and whether to refuse it. */
  take(method: string, path: string, token = ''): LimitAnswer {
    const now = this.now();
    const global = this.window(`global\u0000${token}`, this.globalPerSecond, 1000, now);
    if (global.remaining <= 0) {
      this.overLimit += 1;
      this.overGlobal += 1;
      const retryAfterS = Math.max(0.001, (global.resetAt - now) / 1000);
      return {
        headers: {
          'retry-after': String(Math.ceil(retryAfterS)),
          'x-ratelimit-global': 'true',
          'x-ratelimit-scope': 'global',
        },
        limited: {
          retryAfterS,
          global: true,
          body: { message: 'You are being rate limited.', retry_after: retryAfterS, global: true },
        },
      };
    }
    const route = this.routes.find((r) => r.method === method && matches(r.path, path));
    if (!route) {
      global.remaining -= 1;
      return { headers: {} };
    }
    const major = path.split('/')[2] ?? '';
    const w = this.window(`${token}\u0000${route.bucket}\u0000${major}`, route.limit, route.windowMs, now);
    const resetAfterS = Math.max(0, (w.resetAt - now) / 1000);
    const headers = (remaining: number) => ({
      'x-ratelimit-limit': String(route.limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': (w.resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': resetAfterS.toFixed(3),
      'x-ratelimit-bucket': route.bucket,
    });
    if (w.remaining <= 0) {
      this.overLimit += 1;
      return {
        headers: {
          ...headers(0),
          'retry-after': String(Math.ceil(resetAfterS)),
          'x-ratelimit-scope': 'user',
        },
        limited: {
          retryAfterS: resetAfterS,
          global: false,
          body: { message: 'You are being rate limited.', retry_after: resetAfterS, global: false },
        },
      };
    }
    w.remaining -= 1;
    global.remaining -= 1;
    return { headers: headers(w.remaining) };
  }

  private window(key: string, limit: number, windowMs: number, now: number) {
    let w = this.windows.get(key);
    if (!w || now >= w.resetAt) {
      w = { remaining: limit, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    return w;
  }
}
