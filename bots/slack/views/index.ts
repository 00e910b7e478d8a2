import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { registerCompareSubmission } from './compare-submission';

export function register(app: App, deps: SlackDeps): void {
  registerCompareSubmission(app, deps);
}
