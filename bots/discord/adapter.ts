import {
  type Client,
  DiscordAPIError,
  Events,
  type Interaction,
  type Message,
  RESTJSONErrorCodes,
} from 'discord.js';
import { parseConversationKey } from '../../src/chat/conversation';
import type { ChatMetrics } from '../chat-metrics';
import { InFlight } from '../in-flight';
import type { RoutingNotifier } from '../routing-notifier';
import { Acknowledgements } from './acknowledgements';
import { handleAutocomplete } from './autocomplete';
import { ChannelPoster } from './channel-poster';
import { handleComponent } from './component-handler';
import { DISCORD_DEFAULT_UPLOAD_BYTES } from './config';
import type { DiscordContext } from './context';
import { discordDispatchRule } from './dispatch-rule';
import { handleMessage } from './message-handler';
import { MessageKeys } from './message-keys';
import { COMMAND_NAME } from './slash-command';
import { handleSlashCommand } from './slash-handler';

/** Another process already answered this interaction (two bots on one token during a deploy), or it expired. */
const alreadyTaken = (e: unknown) =>
  e instanceof DiscordAPIError &&
  (e.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged ||
    e.code === RESTJSONErrorCodes.UnknownInteraction);

export interface AttachOptions extends Omit<DiscordContext, 'poster' | 'acknowledgements' | 'inFlight'> {
  /** Role ids whose members may start GPU work, besides Manage Server. */
  dispatchRoleIds: readonly string[];
  /** The largest file a reply attaches, in bytes; default DISCORD_DEFAULT_UPLOAD_BYTES (10 MiB). */
  maxUploadBytes?: number;
  /** Where job notices for platform `discord` are registered. */
  notifier?: Pick<RoutingNotifier, 'register'>;
  /** Records how long deferring an interaction takes. */
  metrics?: ChatMetrics;
}

export interface AttachedDiscord {
  poster: ChannelPoster;
  detach(): void;
}

/** Connects the handlers to a client and registers the poster for job notices. */
export function attachDiscord(client: Client, options: AttachOptions): AttachedDiscord {
  const capabilities = { maxUploadBytes: options.maxUploadBytes ?? DISCORD_DEFAULT_UPLOAD_BYTES };
  const poster = new ChannelPoster(
    client,
    new MessageKeys(options.repositories.postedMessages),
    options.log,
    capabilities,
  );
  const { dispatchRoleIds, notifier: _notifier, metrics, maxUploadBytes: _max, ...shared } = options;
  const acknowledgements = new Acknowledgements(
    metrics && ((kind, seconds) => metrics.acknowledged('discord', kind, seconds)),
  );
  // Answers wait for a pause in arriving interactions (deferrals first), however many run at once:
  // an answer mostly waits on Discord's REST pacing, which a small limit would only queue behind.
  const inFlight = new InFlight({ concurrency: Number.POSITIVE_INFINITY });
  const ctx: DiscordContext = { ...shared, poster, acknowledgements, inFlight };
  options.engine.access.register('discord', discordDispatchRule(dispatchRoleIds));
  options.engine.platforms.register('discord', capabilities);
  const guard = (what: string, run: () => Promise<void>) =>
    run().catch((e: unknown) => {
      if (alreadyTaken(e)) options.log(`discord: ${what} was answered elsewhere or expired`);
      else options.log(`discord: ${what} failed: ${(e as Error).stack ?? e}`);
    });
  const onInteraction = (interaction: Interaction) => {
    if (interaction.isChatInputCommand() && interaction.commandName === COMMAND_NAME) {
      void guard('a slash command', () => handleSlashCommand(interaction, ctx));
    } else if (interaction.isAutocomplete() && interaction.commandName === COMMAND_NAME) {
      void guard('autocomplete', () => handleAutocomplete(interaction, ctx));
    } else if (interaction.isButton() || interaction.isStringSelectMenu()) {
      void guard('a button or menu', () => handleComponent(interaction, ctx));
    }
  };
  const onMessage = (message: Message) => void guard('a message', () => handleMessage(message, ctx));
  client.on(Events.InteractionCreate, onInteraction);
  client.on(Events.MessageCreate, onMessage);
  options.notifier?.register('discord', (key, reply) => poster.deliver(parseConversationKey(key), [reply]));
  return {
    poster,
    detach: () => {
      client.off(Events.InteractionCreate, onInteraction);
      client.off(Events.MessageCreate, onMessage);
      options.notifier?.register('discord', async (key) => {
        throw new Error(`the Discord adapter has stopped; notice for ${key} not posted`);
      });
    },
  };
}
