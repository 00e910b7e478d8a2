/**
 * Discord's global limit (50 requests a second per bot), kept with a margin under discord.js: it
 * paces each route by Discord's X-RateLimit-* headers and counts the global limit in its own
 * one-second windows, which a burst across the edge of two windows can still exceed as Discord
 * counts them. Every REST request waits here for a slot of at most 45 a second with a burst of 5,
 * so no second holds more than 50. Interaction answers and their webhooks are not bound by the
 * global limit and never wait. discord.js still retries a 429 itself; nothing here retries.
 */
import { DefaultRestOptions, type RESTOptions } from 'discord.js';
import { RateSlots } from '../rate-slots';

type MakeRequest = RESTOptions['makeRequest'];

export const DISCORD_GLOBAL_PACE = { perSecond: 45, burst: 5 };

const exempt = (url: string) => /\/(interactions|webhooks)\//.test(url);

export class DiscordRatePacer {
  readonly stats = { calls: 0, waited: 0, waitedMs: 0 };
  private readonly slots: RateSlots;

  constructor(
    private readonly limit = DISCORD_GLOBAL_PACE,
    now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.slots = new RateSlots(now);
  }

  /** discord.js's `makeRequest`, each request waiting for its global slot first. */
  makeRequest(inner: MakeRequest = DefaultRestOptions.makeRequest): MakeRequest {
    return async (url, init) => {
      if (!exempt(url)) {
        this.stats.calls += 1;
        const wait = this.slots.reserve('global', this.limit);
        if (wait > 0) {
          this.stats.waited += 1;
          this.stats.waitedMs += wait;
          await this.sleep(wait);
        }
      }
      return inner(url, init);
    };
  }
}

/** The process's pacer: one bot token per process. */
export const discordPacer = new DiscordRatePacer();
