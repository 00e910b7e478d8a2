import { after, before, describe } from 'node:test';
import {
  createRepositories,
  type Database,
  openDatabase,
  type Repositories,
} from '../../src/persistence/index.js';
import { type Backend, embeddedBackend } from './backends.js';
import { comparisonSuite } from './comparison-suite.js';
import { outboxSuite } from './outbox-suite.js';
import { repositorySuite } from './repository-suite.js';
import { slackInstallationSuite } from './slack-installation-suite.js';

describe('repositories on embedded PGlite', () => {
  let backend: Backend;
  let db: Database;
  let repos: Repositories;
  before(async () => {
    backend = await embeddedBackend();
    db = await openDatabase({ url: backend.url });
    repos = createRepositories(db.prisma);
  });
  after(async () => {
    await db?.close();
    await backend?.cleanup();
  });
  const ctx = { db: () => db, repos: () => repos };
  repositorySuite(ctx);
  comparisonSuite(ctx);
  outboxSuite(ctx);
  slackInstallationSuite(ctx);
});
