/**
 * What never reaches a log line: values under secret-looking keys (pino's `redact` paths), the values
 * of secret environment variables wherever they appear in text, and credentials or secret query
 * values of URLs written inside messages (`redis://:pw@host` becomes `redis://***@host/`).
 */
import { redactUrl } from '../src/format/url-redaction';

export const CENSOR = '***';

const SECRET_KEYS = [
  'token',
  'accessToken',
  'botToken',
  'appToken',
  'password',
  'secret',
  'clientSecret',
  'signingSecret',
  'authorization',
  'cookie',
  'apiKey',
];

/** pino `redact` paths: the keys above at the top level, one level down, and in request headers. */
export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
];

/** Environment variables whose whole value is a secret. */
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?|_KEY)$/i;
/** Shorter values are too likely to be ordinary words to be replaced wherever they appear. */
const MIN_SECRET_LENGTH = 8;

/**
 * The literal values to hide: secret variables (`SLACK_BOT_TOKEN`, `DISCORD_TOKEN`, ...) and URL
 * variables that carry credentials (`DATABASE_URL`, `REDIS_URL`) with their password alone.
 */
export function secretValues(env: Record<string, string | undefined>): string[] {
  const values = new Set<string>();
  for (const [name, raw] of Object.entries(env)) {
    const value = raw?.trim();
    if (!value || value.length < MIN_SECRET_LENGTH) continue;
    if (SECRET_NAME.test(name)) values.add(value);
    else if (/_URL$/i.test(name) && value.includes('@')) {
      values.add(value);
      const password = passwordOf(value);
      if (password && password.length >= MIN_SECRET_LENGTH) {
        values.add(password);
        values.add(decodeURIComponentSafe(password));
      }
    }
  }
  // Longest first, so a value containing another is replaced whole.
  return [...values].sort((a, b) => b.length - a.length);
}

function passwordOf(url: string): string | undefined {
  try {
    return new URL(url).password || undefined;
  } catch {
    return undefined;
  }
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A URL with a scheme, up to whitespace or a quote. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/** `text` with secret values replaced and URLs that carry credentials or a query redacted. */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(CENSOR);
  return out.replace(URL_IN_TEXT, (url) => (url.includes('@') || url.includes('?') ? redactUrl(url) : url));
}

const MAX_DEPTH = 5;

/** Every string in `value` scrubbed: plain objects, arrays and errors copied, other objects kept. */
export function scrubValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value, secrets);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (value instanceof Error) {
    // Same class (the `type` pino shows), own fields scrubbed, message and stack too.
    const copy = Object.create(Object.getPrototypeOf(value)) as Error;
    for (const [key, item] of Object.entries(value))
      (copy as unknown as Record<string, unknown>)[key] = scrubValue(item, secrets, depth + 1);
    copy.message = scrubText(value.message, secrets);
    if (value.stack) copy.stack = scrubText(value.stack, secrets);
    return copy;
  }
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, depth + 1));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = scrubValue(item, secrets, depth + 1);
  return out;
}
