/**
 * The core engine with the real comparison service on an in-memory embedded database, and a
 * dispatcher that records what would be queued instead of queueing it: for tests of what the core
 * decides before anything reaches the queue (permissions, quotas, validation).
 */
import { FileModelPolicy } from '../../jobs/model-policy';
import type { AccessPolicy } from '../../src/access/access-policy';
import { comparisonCommands } from '../../src/comparison/commands';
import type { LearningRatePlanner } from '../../src/comparison/plan';
import type { DispatchInput } from '../../src/comparison/ports';
import type { QuotaSettings } from '../../src/comparison/quota/quota-settings';
import { ComparisonService } from '../../src/comparison/service';
import { ConversationEngine } from '../../src/conversation/engine';
import {
  createRepositories,
  type Database,
  openDatabase,
  type Repositories,
} from '../../src/persistence/index';

export interface RecordingEngine {
  db: Database;
  repositories: Repositories;
  engine: ConversationEngine;
  /** Every comparison the service would have queued, in order. */
  dispatched: DispatchInput[];
}

export async function startRecordingEngine(
  options: { access?: AccessPolicy; quota?: QuotaSettings; planner?: LearningRatePlanner } = {},
): Promise<RecordingEngine> {
  const db = await openDatabase({ url: 'memory:' });
  const repositories = createRepositories(db.prisma);
  const dispatched: DispatchInput[] = [];
  const service = new ComparisonService({
    repositories,
    dispatcher: { dispatch: async (input) => void dispatched.push(input), cancel: async () => {} },
    planner: options.planner ?? {
      bucket: () => 'tiny',
      grid: () => ({ values: [1e-3], default: 1e-3, source: 'measured' }),
    },
    models: new FileModelPolicy({ allow: [], roots: [], forbidden: [] }),
    ...(options.quota ? { quota: options.quota } : {}),
  });
  const engine = new ConversationEngine({
    sessions: repositories.sessions,
    decisions: repositories.decisions,
    teams: repositories.teams,
    sessionTtlMs: 3_600_000,
    commands: comparisonCommands(service),
    evidence: (team, jobId) => service.decisionEvidence(team, jobId),
    ...(options.access ? { access: options.access } : {}),
  });
  return { db, repositories, engine, dispatched };
}
