import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { registerFaceoffCommand } from './faceoff-command';

export function register(app: App, deps: SlackDeps): void {
  registerFaceoffCommand(app, deps);
}
