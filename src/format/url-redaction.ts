/**
 * URLs made safe to print: parsed with the URL parser, credentials replaced by `***`, secret-looking
 * query values hidden, fragments dropped. What does not parse is never echoed.
 */

export const UNPARSEABLE_URL = '<unparseable URL>';

/** Query parameters whose values are hidden (`?password=`, `?token=`, `?sig=`, ...). */
const SECRET_PARAMETER = /pass|pwd|secret|token|key|auth|sig|credential/i;

/**
 * True when part of a credential ended up after the authority: an unencoded `/`, `?` or `#` in a
 * password ends the authority early, and the rest of the password (up to its `@`) lands in the path,
 * query or fragment, where nothing else would put an `@`.
 */
export function credentialSpilled(url: URL): boolean {
  return `${url.pathname}${url.search}${url.hash}`.includes('@');
}

/** `scheme://***@host:port/path?query` with any user name and password replaced; never the raw text. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return UNPARSEABLE_URL;
  }
  if (credentialSpilled(url)) return UNPARSEABLE_URL;
  const hadCredentials = url.username !== '' || url.password !== '';
  const secretKeys = [...url.searchParams.keys()].filter((key) => SECRET_PARAMETER.test(key));
  for (const key of new Set(secretKeys)) url.searchParams.set(key, '***');
  const hasAuthority = url.href.startsWith(`${url.protocol}//`);
  if (!hasAuthority) return `${url.protocol}${url.pathname}${url.search}`;
  return `${url.protocol}//${hadCredentials ? '***@' : ''}${url.host}${url.pathname}${url.search}`;
}

/** Null when `raw` is an http(s) URL; otherwise why not, in words that never echo the value. */
export function httpUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not an http(s) URL (e.g. https://proxy.example.com/api)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${redactUrl(raw)} is not an http(s) URL`;
  if (credentialSpilled(url)) return 'not a URL: percent-encode / : @ ? # in credentials';
  return null;
}
