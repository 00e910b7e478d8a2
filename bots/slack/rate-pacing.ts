/**
 * Slack's rate limits, kept on our side: every Web API call the WebClients make waits here, in the
 * `fetch` they are given, until its method's limit has room, so Slack is never asked more than it
 * allows and never answers 429 for our own traffic. Limits are per workspace (the bot token) and
 * method, and per channel for chat.postMessage; a call waits for the earliest free slot, in the
 * order asked. The WebClient still retries on its own what Slack refuses anyway (another process
 * with the same token); nothing here retries. Per process: replicas each pace their own calls.
 */
import type { webApi } from '@slack/bolt';
import { RateSlots } from '../rate-slots';

export { RateSlots };

type FetchFunction = NonNullable<webApi.WebClientOptions['fetch']>;

export interface RateLimit {
  /** Calls per second, sustained. */
  perSecond: number;
  /** Calls allowed at once after a quiet spell. */
  burst: number;
  /** What a call is counted against besides the workspace. */
  per: 'workspace' | 'channel';
}

/**
 * Slack's published limits (api.slack.com/apis/rate-limits), one call short of each burst so that
 * calls arriving closer together than they were sent stay within them: chat.postMessage about one
 * message per second per channel with short bursts; Tier 2 20 a minute, Tier 3 50, Tier 4 100.
 */
export const SLACK_RATE_LIMITS: Record<string, RateLimit> = {
  'chat.postMessage': { perSecond: 1, burst: 2, per: 'channel' },
  'chat.update': { perSecond: 50 / 60, burst: 4, per: 'workspace' },
  'chat.postEphemeral': { perSecond: 100 / 60, burst: 4, per: 'workspace' },
  'chat.delete': { perSecond: 50 / 60, burst: 4, per: 'workspace' },
  'files.getUploadURLExternal': { perSecond: 100 / 60, burst: 4, per: 'workspace' },
  'files.completeUploadExternal': { perSecond: 100 / 60, burst: 4, per: 'workspace' },
  'files.info': { perSecond: 100 / 60, burst: 4, per: 'workspace' },
  'views.open': { perSecond: 100 / 60, burst: 4, per: 'workspace' },
  'views.update': { perSecond: 100 / 60, burst: 4, per: 'workspace' },
  'users.info': { perSecond: 100 / 60, burst: 4, per: 'workspace' },
  'usergroups.users.list': { perSecond: 20 / 60, burst: 2, per: 'workspace' },
};

function header(init: Parameters<FetchFunction>[1], name: string): string | undefined {
  const headers = init?.headers as Record<string, string> | Headers | undefined;
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
  return entry?.[1];
}

/** The channel a form-encoded (or JSON) Web API call names. */
function channelOf(body: unknown): string {
  if (typeof body !== 'string') return '';
  if (body.startsWith('{')) {
    try {
      return String((JSON.parse(body) as { channel?: unknown }).channel ?? '');
    } catch {
      return '';
    }
  }
  return new URLSearchParams(body).get('channel') ?? '';
}

export interface SlackPacingOptions {
  limits?: Record<string, RateLimit>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Waits counted for the report and the metrics: how many calls waited, and for how long in all. */
export interface PacingStats {
  calls: number;
  waited: number;
  waitedMs: number;
}

export class SlackRatePacer {
  readonly stats: PacingStats = { calls: 0, waited: 0, waitedMs: 0 };
  private readonly slots: RateSlots;
  private readonly limits: Record<string, RateLimit>;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: SlackPacingOptions = {}) {
    this.limits = options.limits ?? SLACK_RATE_LIMITS;
    this.slots = new RateSlots(options.now);
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** How long a call to `method` must wait before it is sent (its slot is booked). */
  reserve(method: string, workspace: string, channel: string): number {
    const limit = this.limits[method];
    if (!limit) return 0;
    const key = `${workspace}\u0000${method}${limit.per === 'channel' ? `\u0000${channel}` : ''}`;
    return this.slots.reserve(key, limit);
  }

  /** A `fetch` that waits for each Web API call's slot (other requests pass straight through). */
  fetch(apiUrl: string, fetchFn: FetchFunction = globalThis.fetch): FetchFunction {
    return async (url, init) => {
      const address = String(url);
      if (address.startsWith(apiUrl)) {
        const method = address.slice(apiUrl.length).split(/[?#]/)[0] ?? '';
        const workspace = header(init, 'authorization') ?? '';
        const wait = this.reserve(method, workspace, channelOf(init?.body));
        this.stats.calls += 1;
        if (wait > 0) {
          this.stats.waited += 1;
          this.stats.waitedMs += wait;
          await this.sleep(wait);
        }
      }
      return fetchFn(url, init);
    };
  }
}

/** The process's pacer: every WebClient of this process shares it. */
export const slackPacer = new SlackRatePacer();
