import type { ConversationEngine } from '../../src/conversation/engine';
import type { Repositories, SlackInstallationQuery } from '../../src/persistence/index';
import type { ChatMetrics } from '../chat-metrics';
import type { InFlight } from '../in-flight';
import type { SlackConfig } from './config';
import type { PostedMessages } from './post/posted-messages';
import type { SlackPoster } from './post/poster';
import type { UserDirectory } from './user-directory';

/** OAuth installs: forgets an installation (uninstalled, or its bot token revoked). */
export interface InstallationRemoval {
  remove(query: SlackInstallationQuery): Promise<void>;
}

/** What every Slack listener works with. */
export interface SlackDeps {
  config: SlackConfig;
  engine: ConversationEngine;
  repositories: Pick<Repositories, 'deliveries' | 'datasets'>;
  posted: PostedMessages;
  poster: SlackPoster;
  users: UserDirectory;
  inFlight: InFlight;
  /** OAuth mode only; with one bot token there is nothing stored to forget. */
  installations: InstallationRemoval | undefined;
  /** Records acknowledgement latency; absent when metrics are off. */
  metrics?: ChatMetrics;
  log: (message: string) => void;
}
