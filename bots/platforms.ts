import type { FaceoffApp } from './compose';
import { discordRunners } from './discord/runner';
import { slackPlatform } from './slack/platform';

/** A chat platform the server can run: present when its configuration is in the environment. */
export interface PlatformRunner {
  name: string;
  /** Connects the adapter to the app; returns how to stop it. */
  start(app: FaceoffApp): Promise<() => Promise<void>>;
}

/** The platforms whose configuration is present. Slack and Discord adapters add themselves here. */
export function configuredPlatforms(env: Record<string, string | undefined>): PlatformRunner[] {
  return [slackPlatform(env), ...discordRunners(env)].filter((p): p is PlatformRunner => p !== undefined);
}
