/**
 * Who may dispatch GPU jobs (`compare`, `retry`) from Slack: the users in FACEOFF_SLACK_DISPATCHERS
 * and the members of the FACEOFF_SLACK_DISPATCH_GROUP user group. With neither set, everyone may.
 * Group members are read with usergroups.users.list and cached for a minute; when the group cannot
 * be read the answer is no (closed, never open).
 */
import type { webApi } from '@slack/bolt';
import type { IncomingEvent } from '../../src/chat/incoming';

const DISPATCHING = new Set(['compare', 'retry']);

/** The subcommand a command (or a typed `faceoff ...` message) names, lower-cased. */
export function subcommandOf(text: string): string | undefined {
  return (
    text
      .trim()
      .replace(/^\/?faceoff\b/i, '')
      .trim()
      .split(/\s+/)[0]
      ?.toLowerCase() || undefined
  );
}

/** True for events that would put jobs on the GPU queue. */
export function dispatches(event: IncomingEvent): boolean {
  if (event.kind === 'command') return DISPATCHING.has(subcommandOf(event.text) ?? '');
  if (event.kind === 'message' && /^\/?faceoff\b/i.test(event.text.trim()))
    return DISPATCHING.has(subcommandOf(event.text) ?? '');
  return false;
}

export interface DispatchPolicy {
  dispatchers: string[];
  dispatchGroup: string | undefined;
}

export class DispatchPermission {
  private readonly groups = new Map<string, { members: Set<string>; until: number }>();

  constructor(
    private readonly policy: DispatchPolicy,
    private readonly log: (message: string) => void,
    private readonly cacheMs = 60_000,
  ) {}

  get restricted(): boolean {
    return this.policy.dispatchers.length > 0 || this.policy.dispatchGroup !== undefined;
  }

  async allows(client: webApi.WebClient, team: string, user: string): Promise<boolean> {
    if (!this.restricted || this.policy.dispatchers.includes(user)) return true;
    const group = this.policy.dispatchGroup;
    if (!group) return false;
    const members = await this.members(client, team, group);
    return members.has(user);
  }

  refusal(): string {
    const who = [
      ...(this.policy.dispatchers.length ? ['the users listed in FACEOFF_SLACK_DISPATCHERS'] : []),
      ...(this.policy.dispatchGroup ? [`members of <!subteam^${this.policy.dispatchGroup}>`] : []),
    ].join(' and ');
    return `You are not allowed to dispatch GPU jobs in this workspace: only ${who} may run compare or retry. Ask an admin to add you. Everything else (decide, cost, tasks, jobs, status, results) is open to you.`;
  }

  private async members(client: webApi.WebClient, team: string, group: string): Promise<Set<string>> {
    const cached = this.groups.get(`${team}:${group}`);
    if (cached && cached.until > Date.now()) return cached.members;
    try {
      const result = await client.usergroups.users.list({ usergroup: group });
      const members = new Set(result.users ?? []);
      this.groups.set(`${team}:${group}`, { members, until: Date.now() + this.cacheMs });
      return members;
    } catch (e) {
      this.log(
        `slack: could not read the members of user group ${group}: ${(e as { data?: { error?: string } }).data?.error ?? (e as Error).message}`,
      );
      return new Set();
    }
  }
}
