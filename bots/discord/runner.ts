import { setTimeout as delay } from 'node:timers/promises';
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
  /**
   * How long to wait for the gateway's READY: for the first shard, and then for each next one
   * (shards identify a few seconds apart, so a large count takes longer than this in all).
   */
  readyTimeoutMs?: number;
  /** Counts REST calls and interaction acknowledgements. */
  metrics?: ChatMetrics;
}

/** Which shard a line is about, when the client runs more than one. */
const shardLabel = (client: Client, id: number) =>
  client.options.shardCount && client.options.shardCount > 1 ? ` (shard ${id})` : '';

/** What to do about a gateway close code that ends a shard for good, where the fix is ours. */
const CLOSE_HINTS: Record<number, string> = {
  4010: 'invalid shard: check FACEOFF_DISCORD_SHARDS',
  4011: 'Discord requires sharding for this bot: set FACEOFF_DISCORD_SHARDS=auto',
  4014: 'a privileged intent is not enabled: turn on Message Content in the Developer Portal',
};

/**
 * Resolves when every shard of the client is ready. Fails when the gateway closes a shard for good
 * (naming the code), or when no shard became ready for `timeoutMs`: the wait starts again at each
 * ready shard, so many shards may take longer in all.
 */
function everyShardReady(client: Client, timeoutMs: number): { ready: Promise<void>; cancel(): void } {
  let cancel = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        cancel();
        reject(new Error(`the gateway was not ready within ${timeoutMs} ms`));
      }, timeoutMs);
    };
    const onReady = () => {
      cancel();
      resolve();
    };
    const onClosed = (event: { code: number }, id: number) => {
      cancel();
      const hint = CLOSE_HINTS[event.code];
      reject(new Error(`the gateway closed shard ${id} (${event.code}${hint ? `: ${hint}` : ''})`));
    };
    cancel = () => {
      clearTimeout(timer);
      client.off(Events.ShardReady, arm);
      client.off(Events.ClientReady, onReady);
      client.off(Events.ShardDisconnect, onClosed);
    };
    client.on(Events.ShardReady, arm);
    client.once(Events.ClientReady, onReady);
    client.on(Events.ShardDisconnect, onClosed);
    arm();
  });
  return { ready, cancel: () => cancel() };
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
  client.on(Events.ShardDisconnect, (event, id) =>
    log(`discord: gateway closed${shardLabel(client, id)} (${event.code}); reconnecting`),
  );
  client.on(Events.ShardResume, (id, replayed) =>
    log(`discord: gateway resumed${shardLabel(client, id)} (${replayed} events replayed)`),
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
  const ready = everyShardReady(client, options.readyTimeoutMs ?? 60_000);
  try {
    await Promise.all([client.login(config.token), ready.ready]);
  } catch (e) {
    ready.cancel();
    attached.detach();
    unobserve();
    // @discordjs/ws 1.2.3 never finishes destroying a shard still waiting for the gateway's HELLO or
    // READY (the aborted wait starts a reconnect): give up on it after a while and report the failure.
    await Promise.race([client.destroy(), delay(5000, undefined, { ref: false })]);
    throw new Error(`Discord login failed: ${(e as Error).message}`);
  }
  if (config.shards) {
    const ids = client.ws.shards.map((shard) => shard.id);
    log(
      `discord: ready on shard${ids.length === 1 ? '' : 's'} ${ids.join(', ')} of ${client.options.shardCount}`,
    );
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
