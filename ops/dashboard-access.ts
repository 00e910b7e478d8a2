/**
 * Who may see the queue dashboard: a request with `Authorization: Bearer <token>`, or a browser that
 * opened `/?token=<token>` once and got a session cookie (an HMAC of the token, never the token).
 * Tokens are compared as SHA-256 digests with timingSafeEqual: no early exit, no length leak.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const DASHBOARD_COOKIE = 'faceoff_dashboard';
const SESSION_SECONDS = 12 * 3600;

export type AccessDecision =
  | { kind: 'allow' }
  /** The token came in the query: set the cookie and redirect to the same address without it. */
  | { kind: 'login'; location: string; setCookie: string }
  | { kind: 'deny' };

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
const sameText = (a: string, b: Buffer) => timingSafeEqual(digest(a), b);

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export class DashboardAccess {
  private readonly token: Buffer;
  private readonly session: string;
  private readonly sessionDigest: Buffer;

  constructor(token: string) {
    this.token = digest(token);
    this.session = createHmac('sha256', token).update('faceoff dashboard session').digest('base64url');
    this.sessionDigest = digest(this.session);
  }

  check(req: IncomingMessage): AccessDecision {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const bearer = /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1];
      return bearer !== undefined && sameText(bearer, this.token) ? { kind: 'allow' } : { kind: 'deny' };
    }
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    const offered = url.searchParams.get('token');
    if (offered !== null) {
      if (!sameText(offered, this.token)) return { kind: 'deny' };
      url.searchParams.delete('token');
      return { kind: 'login', location: `${url.pathname}${url.search}`, setCookie: this.cookie(req) };
    }
    const session = cookieValue(req.headers.cookie, DASHBOARD_COOKIE);
    return session !== undefined && sameText(session, this.sessionDigest)
      ? { kind: 'allow' }
      : { kind: 'deny' };
  }

  private cookie(req: IncomingMessage): string {
    const https =
      (req.socket as { encrypted?: boolean }).encrypted === true ||
      req.headers['x-forwarded-proto'] === 'https';
    return [
      `${DASHBOARD_COOKIE}=${this.session}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Strict',
      `Max-Age=${SESSION_SECONDS}`,
      ...(https ? ['Secure'] : []),
    ].join('; ');
  }
}
