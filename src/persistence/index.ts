/** Faceoff's persistence: open the database, then use the repositories. */
import { ComparisonJobRepository } from './comparison-job-repository.js';
import { DatasetRepository } from './dataset-repository.js';
import { DecisionRepository } from './decision-repository.js';
import { DeliveryRepository } from './delivery-repository.js';
import type { PrismaClient } from './generated/client.js';
import { LearningRateOptimumRepository } from './learning-rate-optimum-repository.js';
import { OutboxRepository } from './outbox-repository.js';
import { PostedMessageRepository } from './posted-message-repository.js';
import { QuestionnaireSessionRepository } from './questionnaire-session-repository.js';
import { SlackInstallationRepository } from './slack-installation-repository.js';
import { StudyRepository } from './study-repository.js';
import { SubscriptionRepository } from './subscription-repository.js';
import { TeamRepository } from './team-repository.js';

export interface Repositories {
  teams: TeamRepository;
  sessions: QuestionnaireSessionRepository;
  decisions: DecisionRepository;
  subscriptions: SubscriptionRepository;
  jobs: ComparisonJobRepository;
  datasets: DatasetRepository;
  deliveries: DeliveryRepository;
  slackInstallations: SlackInstallationRepository;
  learningRates: LearningRateOptimumRepository;
  outbox: OutboxRepository;
  postedMessages: PostedMessageRepository;
  studies: StudyRepository;
}

export function createRepositories(prisma: PrismaClient): Repositories {
  return {
    teams: new TeamRepository(prisma),
    sessions: new QuestionnaireSessionRepository(prisma),
    decisions: new DecisionRepository(prisma),
    subscriptions: new SubscriptionRepository(prisma),
    jobs: new ComparisonJobRepository(prisma),
    datasets: new DatasetRepository(prisma),
    deliveries: new DeliveryRepository(prisma),
    slackInstallations: new SlackInstallationRepository(prisma),
    learningRates: new LearningRateOptimumRepository(prisma),
    outbox: new OutboxRepository(prisma),
    postedMessages: new PostedMessageRepository(prisma),
    studies: new StudyRepository(prisma),
  };
}

export * from './comparison-job-repository.js';
export * from './comparison-records.js';
export * from './database.js';
export * from './dataset-repository.js';
export * from './decision-repository.js';
export * from './delivery-repository.js';
export type { PrismaClient } from './generated/client.js';
export type { JobChange, JobChangeResult, RunEnding } from './job-change-statement.js';
export * from './learning-rate-optimum-repository.js';
export { MigrationError } from './migrate.js';
export * from './outbox-repository.js';
export * from './posted-message-repository.js';
export * from './questionnaire-session-repository.js';
export * from './secret-box.js';
export * from './slack-installation-repository.js';
export * from './study-repository.js';
export * from './subscription-repository.js';
export * from './team-repository.js';
export { parseTeamKey, type TeamInfo } from './team-scope.js';
