/** `npm start` runs Slack whenever a Slack variable is set (and says what is missing when incomplete). */
import type { PlatformRunner } from '../platforms';
import { startSlackAdapter } from './adapter';
import { readSlackConfig, slackRequested } from './config';

export function slackPlatform(env: Record<string, string | undefined>): PlatformRunner | undefined {
  if (!slackRequested(env)) return undefined;
  return {
    name: 'slack',
    start: async (app) => {
      const config = readSlackConfig(env);
      if (!config.ok) throw new Error(`Slack is not fully configured:\n${config.error}`);
      const adapter = await startSlackAdapter(app, config.value, {
        ...(app.operations
          ? { log: app.operations.log('slack'), metrics: app.operations.metrics, boltToLog: true }
          : {}),
      });
      return () => adapter.stop();
    },
  };
}
