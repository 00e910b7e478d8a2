/**
 * Downloads a file a user shared (url_private) with the bot token. The token is only ever sent to
 * Slack's own hosts; with SLACK_API_URL set, downloads go through that host instead (a proxy, or
 * the local Slack stand-in in tests), keeping the path.
 */
export class FileDownloadError extends Error {
  override name = 'FileDownloadError';
}

export function downloadUrl(urlPrivate: string, apiUrl: string | undefined): URL {
  const url = new URL(urlPrivate);
  if (apiUrl) return new URL(`${url.pathname}${url.search}`, new URL(apiUrl).origin);
  if (url.protocol !== 'https:' || !(url.hostname === 'slack.com' || url.hostname.endsWith('.slack.com'))) {
    throw new FileDownloadError(
      `refusing to send the bot token to ${url.hostname}: files are fetched from Slack only`,
    );
  }
  return url;
}

export async function downloadSlackFile(
  urlPrivate: string,
  token: string,
  apiUrl: string | undefined,
  maxBytes: number,
): Promise<Uint8Array> {
  const response = await fetch(downloadUrl(urlPrivate, apiUrl), {
    headers: { authorization: `Bearer ${token}` },
    redirect: 'manual',
  });
  if (response.status >= 300 && response.status < 400) {
    throw new FileDownloadError(
      'Slack redirected the download (usually to a sign-in page): the app needs the files:read scope',
    );
  }
  if (!response.ok) throw new FileDownloadError(`Slack answered ${response.status} for the file`);
  if ((response.headers.get('content-type') ?? '').includes('text/html')) {
    throw new FileDownloadError(
      'Slack answered with a web page instead of the file: the app needs the files:read scope',
    );
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new FileDownloadError(`the file is larger than ${maxBytes} bytes`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > maxBytes) throw new FileDownloadError(`the file is larger than ${maxBytes} bytes`);
  return bytes;
}
