/**
 * Counts every HTTP request the Slack clients make (Web API methods, file uploads, response_url
 * answers) by method and outcome, through the `fetch` Bolt and the WebClients are given.
 */
import type { webApi } from '@slack/bolt';
import type { ChatCallOutcome, ChatMetrics } from '../chat-metrics';

type FetchFunction = NonNullable<webApi.WebClientOptions['fetch']>;
type FetchResponse = Awaited<ReturnType<FetchFunction>>;

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/** The Web API method (`chat.postMessage`), else `file_upload` or `response_url`: never ids or tokens. */
export function slackMethodOf(url: string, apiUrl: string): string {
  if (url.startsWith(apiUrl)) {
    const method = url.slice(apiUrl.length).split(/[?#]/)[0] ?? '';
    if (/^[a-z]+(\.[A-Za-z]+)+$/.test(method)) return method;
  }
  return /\/upload\b/.test(url) ? 'file_upload' : 'response_url';
}

/** HTTP 429: rate_limited; another status than 200: http_error; a JSON body with `ok: false`: error. */
async function outcomeOf(response: FetchResponse): Promise<ChatCallOutcome> {
  if (response.status === 429) return 'rate_limited';
  if (response.status < 200 || response.status >= 300) return 'http_error';
  const json = (response.headers.get('content-type') ?? '').includes('json');
  const copy = (response as Partial<Response>).clone?.();
  if (!json || !copy) return 'ok';
  try {
    const body = (await copy.json()) as { ok?: unknown };
    return body?.ok === false ? 'error' : 'ok';
  } catch {
    return 'ok';
  }
}

export function observedSlackFetch(
  metrics: ChatMetrics,
  apiUrl: string = DEFAULT_SLACK_API_URL,
  fetchFn: FetchFunction = globalThis.fetch,
): FetchFunction {
  return async (url, init) => {
    const method = slackMethodOf(String(url), apiUrl);
    let response: FetchResponse;
    try {
      response = await fetchFn(url, init);
    } catch (error) {
      metrics.chatCall('slack', method, 'network_error');
      throw error;
    }
    metrics.chatCall('slack', method, await outcomeOf(response));
    return response;
  };
}
