import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { registerAppUninstalled } from './app-uninstalled';
import { registerTokensRevoked } from './tokens-revoked';

export function register(app: App, deps: SlackDeps): void {
  registerAppUninstalled(app, deps);
  registerTokensRevoked(app, deps);
}
