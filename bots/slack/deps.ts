import type { ConversationEngine } from '../../src/conversation/engine';
import type { Repositories } from '../../src/persistence/index';
import type { SlackConfig } from './config';
import type { InFlight } from './in-flight';
import type { PostedMessages } from './post/posted-messages';
import type { SlackPoster } from './post/poster';
import type { UserDirectory } from './user-directory';

/** What every Slack listener works with. */
export interface SlackDeps {
  config: SlackConfig;
  engine: ConversationEngine;
  repositories: Pick<Repositories, 'deliveries' | 'datasets'>;
  posted: PostedMessages;
  poster: SlackPoster;
  users: UserDirectory;
  inFlight: InFlight;
  log: (message: string) => void;
}
