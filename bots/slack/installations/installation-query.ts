/** The installation an uninstall or revocation event is about, from Bolt's context (set without authorize). */
import type { SlackInstallationQuery } from '../../../src/persistence/index';

export interface InstallationContext {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}

export function installationQuery(context: InstallationContext): SlackInstallationQuery | undefined {
  if (context.isEnterpriseInstall) {
    return context.enterpriseId
      ? { enterpriseId: context.enterpriseId, isEnterpriseInstall: true }
      : undefined;
  }
  if (!context.teamId) return undefined;
  return {
    teamId: context.teamId,
    ...(context.enterpriseId ? { enterpriseId: context.enterpriseId } : {}),
    isEnterpriseInstall: false,
  };
}

/** `workspace T...` or `enterprise E...`, for log lines. */
export const describeInstallation = (query: SlackInstallationQuery) =>
  query.isEnterpriseInstall ? `enterprise ${query.enterpriseId}` : `workspace ${query.teamId}`;
