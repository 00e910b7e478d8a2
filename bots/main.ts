/**
 * `npm start`: the control plane with every chat platform that is configured. Each platform adapter
 * registers itself here when its configuration is present in the environment.
 */
import { readCoreConfig } from '../src/config';
import { startFaceoff } from './compose';
import { configuredPlatforms } from './platforms';

async function main(): Promise<void> {
  const platforms = configuredPlatforms(process.env);
  if (platforms.length === 0) {
    console.error(
      'faceoff: no chat platform is configured. Set SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP), ' +
        'or DISCORD_TOKEN with DISCORD_APPLICATION_ID; or try the console with `npm run demo`.',
    );
    process.exit(2);
  }
  const app = await startFaceoff({ ...readCoreConfig(), platform: 'server' });
  const stops: (() => Promise<void>)[] = [];
  for (const platform of platforms) {
    stops.push(await platform.start(app));
    console.error(`faceoff: ${platform.name} connected`);
  }
  const shutdown = async () => {
    for (const stop of stops) await stop().catch(() => {});
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((e: Error) => {
  console.error(`faceoff: ${e.message}`);
  process.exit(1);
});
