/**
 * Slack's rule for who may start GPU work, handed to the core's access policy: the users in
 * FACEOFF_SLACK_DISPATCHERS and the members of the FACEOFF_SLACK_DISPATCH_GROUP user group; with
 * neither set, everyone in the workspace. The check itself runs in the core on the parsed command.
 */
import type { DispatchRule } from '../../src/access/access-policy';
import type { SlackConfig } from './config';

export function slackDispatchRule(config: Pick<SlackConfig, 'dispatchers' | 'dispatchGroup'>): DispatchRule {
  const who = [
    ...(config.dispatchers.length ? ['the users listed in FACEOFF_SLACK_DISPATCHERS'] : []),
    ...(config.dispatchGroup ? [`members of <!subteam^${config.dispatchGroup}>`] : []),
  ];
  return {
    users: config.dispatchers,
    roles: config.dispatchGroup ? [config.dispatchGroup] : [],
    admins: false,
    whenUnconfigured: 'everyone',
    describeWho: who.length ? who.join(' and ') : 'everyone',
  };
}
