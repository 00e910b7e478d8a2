import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { registerFormSubmission } from './form-submission';

export function register(app: App, deps: SlackDeps): void {
  registerFormSubmission(app, deps);
}
