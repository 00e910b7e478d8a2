/**
 * Downloads a file a user shared (url_private) with the bot token, streamed into a file under the
 * shared deadlines and size cap. The token is only ever sent to Slack's own hosts; with
 * SLACK_API_URL set, downloads go through that host instead (a proxy, or the local Slack stand-in in
 * tests), keeping the path. Redirects are never followed: Slack redirects to a sign-in page when the
 * app lacks files:read.
 */
import type { DownloadedFile } from '../../../src/chat/incoming';
import { FileTransferError } from '../../../src/chat/incoming';
import { DOWNLOAD_TIMEOUTS, type DownloadTimeouts, discard, TimedDownload } from '../../streamed-download';

export class FileDownloadError extends FileTransferError {
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
  toPath: string,
  maxBytes: number,
  timeouts: DownloadTimeouts = DOWNLOAD_TIMEOUTS,
): Promise<DownloadedFile> {
  const download = new TimedDownload(timeouts);
  const response = await download.request(downloadUrl(urlPrivate, apiUrl), {
    headers: { authorization: `Bearer ${token}` },
  });
  const refuse = async (why: string) => {
    await discard(response);
    return new FileDownloadError(why);
  };
  if (response.status >= 300 && response.status < 400) {
    throw await refuse(
      'Slack redirected the download (usually to a sign-in page): the app needs the files:read scope',
    );
  }
  if (!response.ok) throw await refuse(`Slack answered ${response.status} for the file`);
  if ((response.headers.get('content-type') ?? '').includes('text/html')) {
    throw await refuse(
      'Slack answered with a web page instead of the file: the app needs the files:read scope',
    );
  }
  return download.save(response, toPath, maxBytes);
}
