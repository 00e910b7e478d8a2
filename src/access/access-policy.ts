/**
 * Who may start GPU work (compare, retry, dataset registration), decided in the core on the parsed
 * command, the same way for every platform. Adapters only say who the user is (id, admin flag, the
 * roles or groups they hold) and register their platform's rule at start.
 */
import type { ConversationRef, Platform } from '../chat/conversation';
import type { UserRef } from '../chat/incoming';

export interface DispatchRule {
  /** User ids that may always dispatch. */
  users: readonly string[];
  /** Role or group ids whose members may dispatch. */
  roles: readonly string[];
  /** Platform admins (Discord Manage Server) may dispatch. */
  admins: boolean;
  /** With no users and no roles configured: everyone may, or only admins. */
  whenUnconfigured: 'everyone' | 'admins';
  /** Workspaces where nobody may dispatch (Discord DMs: no roles to check there). */
  closedWorkspaces?: readonly string[];
  /** Who may, in the platform's own words (mentions, variable names), for the refusal. */
  describeWho: string;
  /** The refusal for a closed workspace; `what` is e.g. "`/faceoff compare`". */
  closedWorkspaceText?: (what: string) => string;
}

/** The console runs on the operator's own machine: its one user may dispatch. */
const CONSOLE_RULE: DispatchRule = {
  users: [],
  roles: [],
  admins: true,
  whenUnconfigured: 'everyone',
  describeWho: 'everyone',
};

export function ruleAllows(rule: DispatchRule, user: UserRef, conversation: ConversationRef): boolean {
  if (rule.closedWorkspaces?.includes(conversation.workspace)) return false;
  if (rule.admins && user.isAdmin) return true;
  if (rule.users.includes(user.id)) return true;
  if ((user.roles ?? []).some((role) => rule.roles.includes(role))) return true;
  return rule.users.length === 0 && rule.roles.length === 0 && rule.whenUnconfigured === 'everyone';
}

export class AccessPolicy {
  private readonly rules = new Map<Platform, DispatchRule>([['console', CONSOLE_RULE]]);

  /** The platform's rule; a platform without one refuses every dispatch (closed, never open). */
  register(platform: Platform, rule: DispatchRule): void {
    this.rules.set(platform, rule);
  }

  mayDispatch(user: UserRef, conversation: ConversationRef): boolean {
    const rule = this.rules.get(conversation.platform);
    return rule !== undefined && ruleAllows(rule, user, conversation);
  }

  /** Why `what` ("`/faceoff compare`", "registering a dataset") was refused, and who may do it. */
  refusal(what: string, conversation: ConversationRef): string {
    const rule = this.rules.get(conversation.platform);
    if (!rule) return `${capitalised(what)} starts GPU work, and nobody may start it from here.`;
    if (rule.closedWorkspaces?.includes(conversation.workspace) && rule.closedWorkspaceText)
      return rule.closedWorkspaceText(what);
    return `You may not start GPU work here: ${what} is open to ${rule.describeWho}. Ask an admin for access. Everything else (decide, cost, tasks, jobs, status, results, quota) is open to you.`;
  }
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
