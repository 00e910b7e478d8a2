/**
 * `npm start`: the control plane with every chat platform that is configured. Each platform adapter
 * registers itself here when its configuration is present in the environment. Logs are JSON lines on
 * stdout; metrics and the queue dashboard are served as FACEOFF_METRICS_* and FACEOFF_DASHBOARD_* say.
 */
import { createOperationsOrExit } from '../ops/operations';
import { readCoreConfig } from '../src/config';
import { startFaceoff } from './compose';
import { configuredPlatforms } from './platforms';

const operations = createOperationsOrExit('bot');
const log = operations.logger.child({ component: 'faceoff' });

async function main(): Promise<void> {
  const platforms = configuredPlatforms(process.env);
  if (platforms.length === 0) {
    log.fatal(
      'no chat platform is configured. Set SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP), ' +
        'or DISCORD_TOKEN with DISCORD_APPLICATION_ID; or try the console with `npm run demo`.',
    );
    process.exit(2);
  }
  const app = await startFaceoff({ ...readCoreConfig(), platform: 'server', operations });
  await operations.serve(app.jobs?.queues);
  const stops: (() => Promise<void>)[] = [];
  for (const platform of platforms) {
    stops.push(await platform.start(app));
    log.info(`${platform.name} connected`);
  }
  const shutdown = async () => {
    for (const stop of stops) await stop().catch(() => {});
    await app.close();
    await operations.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((e: Error) => {
  log.fatal(e.message);
  process.exit(1);
});
