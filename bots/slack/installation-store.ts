/**
 * Bolt's InstallationStore over the database: OAuth installs of the app in several workspaces are
 * kept in the SlackInstallation table (one row per workspace or enterprise), their tokens encrypted
 * by the repository it is given (`withSecretBox`, keyed by FACEOFF_SLACK_TOKEN_KEY).
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { SlackInstallationData, SlackInstallationRepository } from '../../src/persistence/index';

export function databaseInstallationStore(repository: SlackInstallationRepository): InstallationStore {
  return {
    storeInstallation: async (installation) => {
      await repository.storeInstallation(installation as unknown as SlackInstallationData);
    },
    fetchInstallation: async (query: InstallationQuery<boolean>) =>
      (await repository.fetchInstallation(query)) as unknown as Installation<'v1' | 'v2', boolean>,
    deleteInstallation: (query: InstallationQuery<boolean>) => repository.deleteInstallation(query),
  };
}
