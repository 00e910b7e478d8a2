import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createRepositories,
  type Database,
  openDatabase,
  type Repositories,
} from '../../src/persistence/index.js';
import { type Backend, postgresBackend } from './backends.js';
import { comparisonSuite } from './comparison-suite.js';
import { outboxSuite } from './outbox-suite.js';
import { newTeamKey, repositorySuite } from './repository-suite.js';
import { slackInstallationSuite } from './slack-installation-suite.js';

const server = await postgresBackend();
const skip = 'skip' in server ? server.skip : false;

describe('repositories on PostgreSQL', { skip }, () => {
  let backend: Backend;
  let db: Database;
  let repos: Repositories;
  before(async () => {
    if ('skip' in server) return;
    backend = server.backend;
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

  it('marks a job announced once when separate processes race (one connection pool each)', async () => {
    const others = await Promise.all([
      openDatabase({ url: backend.url }),
      openDatabase({ url: backend.url }),
    ]);
    try {
      const team = newTeamKey();
      const job = await repos.jobs.create({
        teamKey: team,
        conversationKey: `${team}:C1:`,
        requesterId: 'U1',
        request: {},
        plan: {},
        runs: [{ task: 't', method: 'lora', seed: 1, learningRate: 1e-3 }],
      });
      const all = [repos, ...others.map((o) => createRepositories(o.prisma))];
      const results = await Promise.all(
        all.flatMap((r) => Array.from({ length: 8 }, () => r.jobs.markAnnounced(job.id))),
      );
      assert.equal(results.filter(Boolean).length, 1);
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
  });
});
