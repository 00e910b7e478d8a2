/**
 * The Bolt app for a configuration: Socket Mode or HTTP (`/slack/events`, signatures and their
 * five-minute replay window checked by Bolt), one workspace by bot token or many by OAuth with
 * installations in the database (`/slack/install`, `/slack/oauth_redirect`).
 */
import {
  App,
  type AppOptions,
  type InstallationStore,
  type Logger,
  LogLevel,
  type webApi,
} from '@slack/bolt';
import type { ChatMetrics } from '../chat-metrics';
import { DEFAULT_SLACK_API_URL, observedSlackFetch } from './api-call-metrics';
import type { SlackConfig } from './config';
import { type SlackRatePacer, slackPacer } from './rate-pacing';

export interface BoltAppOptions {
  installationStore?: InstallationStore;
  logLevel?: LogLevel;
  /** Web API retries after failures (default 2: a late chat reply is worth little). */
  apiRetries?: number;
  /** Counts every request to Slack by method and outcome. */
  metrics?: ChatMetrics;
  /** Where Bolt's own lines go (default: its console logger). */
  logger?: Logger;
}

/**
 * The WebClients' options: every call waits for its rate-limit slot (rate-pacing.ts) and is counted;
 * a 429 that comes anyway is retried by the WebClient itself after the Retry-After it names.
 */
export function webClientOptions(
  config: SlackConfig,
  retries: number,
  metrics?: ChatMetrics,
  pacer: SlackRatePacer = slackPacer,
): webApi.WebClientOptions {
  const apiUrl = config.apiUrl ?? DEFAULT_SLACK_API_URL;
  const fetch = metrics ? observedSlackFetch(metrics, config.apiUrl) : globalThis.fetch;
  return {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: { retries, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
    ...(config.pacing === false ? (metrics ? { fetch } : {}) : { fetch: pacer.fetch(apiUrl, fetch) }),
  };
}

export function createBoltApp(config: SlackConfig, options: BoltAppOptions = {}): App {
  const clientOptions = webClientOptions(config, options.apiRetries ?? 2, options.metrics);
  const auth: Partial<AppOptions> =
    config.auth.kind === 'token'
      ? { token: config.auth.botToken }
      : {
          clientId: config.auth.clientId,
          clientSecret: config.auth.clientSecret,
          stateSecret: config.auth.stateSecret,
          scopes: config.auth.scopes,
          ...(options.installationStore ? { installationStore: options.installationStore } : {}),
          installerOptions: {
            directInstall: true,
            clientOptions,
            ...(config.installPort !== undefined ? { port: config.installPort } : {}),
          },
        };
  const transport: Partial<AppOptions> =
    config.transport.kind === 'socket'
      ? { socketMode: true, appToken: config.transport.appToken }
      : { signingSecret: config.signingSecret as string };
  return new App({
    ...transport,
    ...auth,
    clientOptions,
    ...(options.logger ? { logger: options.logger } : {}),
    logLevel: options.logLevel ?? LogLevel.INFO,
  });
}
