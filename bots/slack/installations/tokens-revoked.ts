/**
 * `tokens_revoked`: Slack revoked tokens of the app. When the bot token is among them the
 * installation is useless, so it is deleted like on an uninstall; user tokens alone change nothing
 * (Faceoff asks for no user scopes).
 */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { describeInstallation, installationQuery } from './installation-query';

export function registerTokensRevoked(app: App, deps: SlackDeps): void {
  app.event('tokens_revoked', async ({ event, context }) => {
    const query = installationQuery(context);
    if (!query || !(event.tokens.bot?.length ?? 0)) return;
    await deps.inFlight.track(
      async () => {
        if (!deps.installations) {
          deps.log(
            `slack: the bot token of ${describeInstallation(query)} was revoked; SLACK_BOT_TOKEN no longer works`,
          );
          return;
        }
        await deps.installations.remove(query);
        deps.log(
          `slack: the bot token of ${describeInstallation(query)} was revoked; its installation is deleted`,
        );
      },
      (e) => deps.log(`slack: forgetting a revoked installation failed: ${(e as Error).message}`),
    );
  });
}
