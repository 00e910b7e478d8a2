/**
 * `app_uninstalled`: the app was removed from a workspace (or an org-wide install from its
 * enterprise). Its installation, tokens included, is deleted, and no cached client keeps using it.
 */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { describeInstallation, installationQuery } from './installation-query';

export function registerAppUninstalled(app: App, deps: SlackDeps): void {
  app.event('app_uninstalled', async ({ context }) => {
    const query = installationQuery(context);
    if (!query) return;
    await deps.inFlight.track(
      async () => {
        if (!deps.installations) {
          deps.log(
            `slack: the app was uninstalled from ${describeInstallation(query)}; SLACK_BOT_TOKEN no longer works`,
          );
          return;
        }
        await deps.installations.remove(query);
        deps.log(
          `slack: the app was uninstalled from ${describeInstallation(query)}; its installation is deleted`,
        );
      },
      (e) => deps.log(`slack: forgetting an uninstalled installation failed: ${(e as Error).message}`),
    );
  });
}
