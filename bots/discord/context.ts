import type { AccessPolicy } from '../../src/access/access-policy';
import type { IncomingEvent } from '../../src/chat/incoming';
import type { PlatformCapabilityRegistry } from '../../src/chat/platform-capabilities';
import type { Reply } from '../../src/chat/replies';
import type { CommandRouter } from '../../src/commands/router';
import type { Repositories } from '../../src/persistence/index';
import type { InFlight } from '../in-flight';
import type { Acknowledgements } from './acknowledgements';
import type { ChannelPoster } from './channel-poster';

/** What the Discord handlers use from the app: the engine, a few repositories, the poster and settings. */
export interface DiscordContext {
  engine: {
    handle(event: IncomingEvent): Promise<Reply[]>;
    router: Pick<CommandRouter, 'answersPrivately'>;
    access: Pick<AccessPolicy, 'register'>;
    platforms: Pick<PlatformCapabilityRegistry, 'register'>;
  };
  repositories: Pick<Repositories, 'datasets' | 'jobs' | 'deliveries' | 'postedMessages'>;
  poster: ChannelPoster;
  acknowledgements: Acknowledgements;
  /** Answers start once the interactions arriving together have been deferred. */
  inFlight: InFlight;
  /** DISCORD_API_URL when set: attachments may also come from its host (a proxy, a local stand-in). */
  apiUrl?: string | undefined;
  log: (message: string) => void;
}
