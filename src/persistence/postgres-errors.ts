/** Messages for failures to reach PostgreSQL that say where and what to check, without secrets. */
import { credentialSpilled, UNPARSEABLE_URL } from '../format/url-redaction.js';

/** `postgres://host:port/database (user name)`, password left out. */
export function describeServer(url: string): string {
  try {
    const u = new URL(url);
    if (credentialSpilled(u)) return UNPARSEABLE_URL;
    const user = u.username ? ` as user ${decodeURIComponent(u.username)}` : '';
    return `postgres://${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || '/'}${user}`;
  } catch {
    return UNPARSEABLE_URL;
  }
}

export function describeConnectError(url: string, error: unknown): string {
  const where = describeServer(url);
  const e = error as { code?: string; message?: string };
  const code = e?.code ?? '';
  const text = e?.message || code || String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot reach PostgreSQL at ${where}: connection refused. Is the server running and listening on that host and port? Check DATABASE_URL.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot reach PostgreSQL at ${where}: the host name does not resolve. Check the host in DATABASE_URL.`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot reach PostgreSQL at ${where}: ${text}. Check the network, firewall and host in DATABASE_URL.`;
    case '28P01':
    case '28000':
      return `PostgreSQL at ${where} refused the login: ${text}. Check the user and password in DATABASE_URL.`;
    case '3D000':
      return `PostgreSQL at ${where}: ${text}. Create the database (createdb) or fix its name in DATABASE_URL.`;
    default:
      if (/timeout/i.test(text)) {
        return `cannot reach PostgreSQL at ${where}: no answer in time (${text}). Check the host, port and network.`;
      }
      return `cannot connect to PostgreSQL at ${where}: ${text}`;
  }
}
