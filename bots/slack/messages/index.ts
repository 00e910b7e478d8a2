import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { registerFileShare } from './file-share';
import { registerThreadReply } from './thread-reply';

export function register(app: App, deps: SlackDeps): void {
  registerThreadReply(app, deps);
  registerFileShare(app, deps);
}
