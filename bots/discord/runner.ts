import { once } from 'node:events';
import { type Client, Events } from 'discord.js';
import type { ChatMetrics } from '../chat-metrics';
import type { FaceoffApp } from '../compose';
import type { PlatformRunner } from '../platforms';
import { attachDiscord } from './adapter';
import { observeDiscordApiCalls } from './api-call-metrics';
import type { ChannelPoster } from './channel-poster';
import { type ClientOptionsOverride, createDiscordClient } from './client';
import { DISCORD_DEFAULT_UPLOAD_BYTES, type DiscordConfig, readDiscordConfig } from './config';

export interface RunningDiscord {
  client: Client;
  poster: ChannelPoster;
  stop(): Promise<void>;
}

export interface StartDiscordOptions extends ClientOptionsOverride {
  log?: (message: string) => void;
  /** How long to wait for the gateway's READY. */
  readyTimeoutMs?: number;
  /** Counts REST calls and interaction acknowledgements. */
  metrics?: ChatMetrics;
}

/**
 * Logs in, wires the handlers and the job notices, and resolves once the gateway is ready. A dropped
 * connection resumes by itself (discord.js); conversations live in the database, so nothing is lost.
 */
export async function startDiscord(
  app: Pick<FaceoffApp, 'engine' | 'repositories' | 'notifier'>,
  config: DiscordConfig,
  options: StartDiscordOptions = {},
): Promise<RunningDiscord> {
  const log = options.log ?? ((m: string) => console.error(m));
  const client = createDiscordClient(config, options);
  const unobserve = options.metrics ? observeDiscordApiCalls(client, options.metrics) : () => {};
  client.on(Events.Error, (e) => log(`discord: client error: ${e.message}`));
  client.on(Events.ShardDisconnect, (event) => log(`discord: gateway closed (${event.code}); reconnecting`));
  client.on(Events.ShardResume, (_id, replayed) =>
    log(`discord: gateway resumed (${replayed} events replayed)`),
  );
  const attached = attachDiscord(client, {
    engine: app.engine,
    repositories: app.repositories,
    notifier: app.notifier,
    dispatchRoleIds: config.dispatchRoleIds,
    maxUploadBytes: config.maxUploadBytes ?? DISCORD_DEFAULT_UPLOAD_BYTES,
    apiUrl: config.apiUrl,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    log,
  });
  const ready = once(client, Events.ClientReady, {
    signal: AbortSignal.timeout(options.readyTimeoutMs ?? 60_000),
  });
  try {
    await client.login(config.token);
    await ready;
  } catch (e) {
    attached.detach();
    unobserve();
    await client.destroy();
    throw new Error(`Discord login failed: ${(e as Error).message}`);
  }
  return {
    client,
    poster: attached.poster,
    stop: async () => {
      attached.detach();
      await client.destroy();
      unobserve();
    },
  };
}

/** `npm start` runs Discord when DISCORD_TOKEN and DISCORD_APPLICATION_ID are set. */
export function discordRunner(config: DiscordConfig): PlatformRunner {
  return {
    name: 'discord',
    start: async (app) =>
      (
        await startDiscord(app, config, {
          ...(app.operations ? { log: app.operations.log('discord'), metrics: app.operations.metrics } : {}),
        })
      ).stop,
  };
}

/** The Discord runner when its configuration is in `env`; none when absent; an error when half set or invalid. */
export function discordRunners(env: Record<string, string | undefined>): PlatformRunner[] {
  const config = readDiscordConfig(env);
  if (!config.ok) throw new Error(config.error);
  return config.value ? [discordRunner(config.value)] : [];
}
