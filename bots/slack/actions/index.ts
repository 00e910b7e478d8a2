import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { registerChoiceAction } from './choice-action';
import { registerOpenCompareAction } from './open-compare-action';

export function register(app: App, deps: SlackDeps): void {
  registerOpenCompareAction(app, deps);
  registerChoiceAction(app, deps);
}
