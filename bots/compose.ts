import type { Reply } from '../src/chat/replies';
import type { CoreConfig } from '../src/config';
import { ConversationEngine } from '../src/conversation/engine';
import { createRepositories, openDatabase, type Repositories } from '../src/persistence/index';

export interface FaceoffApp {
  engine: ConversationEngine;
  repositories: Repositories;
  /** Where replies that answer no event (job notices) go; the console prints them. */
  setNotifier?: (post: (reply: Reply) => Promise<void>) => void;
  /** Resolves when every job this process started has ended and been announced. */
  idle?: () => Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions extends CoreConfig {
  platform: 'console' | 'server';
}

/** Opens the database, builds the repositories and the conversation engine. */
export async function startFaceoff(options: StartOptions): Promise<FaceoffApp> {
  const database = await openDatabase(options.databaseUrl ? { url: options.databaseUrl } : {});
  const repositories = createRepositories(database.prisma);
  const engine = new ConversationEngine({
    sessions: repositories.sessions,
    decisions: repositories.decisions,
    teams: repositories.teams,
    sessionTtlMs: options.sessionTtlMs,
  });
  return {
    engine,
    repositories,
    close: () => database.close(),
  };
}
