import { LRUCache } from 'lru-cache';
import { AccessPolicy } from '../access/access-policy';
import type { ReplyCharts } from '../charts/reply-charts';
import { conversationKey, teamKey } from '../chat/conversation';
import type { IncomingEvent } from '../chat/incoming';
import { PlatformCapabilityRegistry } from '../chat/platform-capabilities';
import type { Reply } from '../chat/replies';
import { builtinHandlers } from '../commands/builtin';
import { isCommandText, RUN_COMMAND_ACTION } from '../commands/command-text';
import type { CommandHandlers } from '../commands/registry';
import { CommandRouter } from '../commands/router';
import type { MeasuredEvidence } from '../decision/evidence';
import { ANSWER_ACTION, NAV_ACTION } from '../decision/messages';
import { inputFromText } from '../decision/questionnaire';
import { ok, type Result } from '../parsing/result';
import { decideRequest } from './decide-request';
import { KeyedLock } from './keyed-lock';
import { QuestionnaireRunner, scopeOf } from './questionnaire-runner';
import type { DecisionStore, SessionStore, TeamStore } from './stores';

export interface EngineOptions {
  sessions: SessionStore;
  decisions: DecisionStore;
  teams: TeamStore;
  /** How long an untouched questionnaire is kept. */
  sessionTtlMs: number;
  clock?: () => Date;
  /** Command handlers contributed by other parts (the job system). */
  commands?: CommandHandlers;
  /** Handlers for button/select actions outside the questionnaire, by action id prefix (`jobs:`). */
  actions?: Record<string, (event: Extract<IncomingEvent, { kind: 'choice' }>) => Promise<Reply[]>>;
  onFile?: (event: Extract<IncomingEvent, { kind: 'file' }>) => Promise<Reply[]>;
  /** Measurements of finished comparisons `decide` can use (the job system provides them). */
  evidence?: DecisionEvidence;
  /** Charts for decide and cost replies; text and tables only when absent. */
  charts?: Pick<ReplyCharts, 'decision' | 'cost'>;
  /** Who may start GPU work; adapters register their platform's rule. Default: the console only. */
  access?: AccessPolicy;
  /** What each platform carries (upload limit); adapters register theirs. Default: the console only. */
  platforms?: PlatformCapabilityRegistry;
}

/** Measurements for a decision: the named job's, or per task the team's latest; an error names the field. */
export type DecisionEvidence = (team: string, jobId?: string) => Promise<Result<MeasuredEvidence[]>>;

const EXPIRED: Reply = {
  text: 'That questionnaire has ended or expired. Start again with /faceoff decide.',
  ephemeral: true,
};

/** Turns neutral incoming events into neutral replies: one router and one questionnaire for every adapter. */
export class ConversationEngine {
  readonly router: CommandRouter;
  readonly access: AccessPolicy;
  readonly platforms: PlatformCapabilityRegistry;
  private readonly questionnaire: QuestionnaireRunner;
  private readonly lock = new KeyedLock();
  /** Teams already stored, so each is written once per process (bounded, least recently used dropped). */
  private readonly knownTeams = new LRUCache<string, true>({ max: 10_000 });
  private readonly clock: () => Date;

  constructor(private readonly options: EngineOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.access = options.access ?? new AccessPolicy();
    this.platforms = options.platforms ?? new PlatformCapabilityRegistry();
    this.questionnaire = new QuestionnaireRunner(
      options.sessions,
      options.decisions,
      options.sessionTtlMs,
      options.charts,
    );
    this.router = new CommandRouter(
      {
        ...builtinHandlers(options.charts),
        decide: async (ctx) => {
          const scope = scopeOf(ctx.conversation, ctx.user.id);
          const { jobId, text } = decideRequest(ctx.event);
          const current = await this.questionnaire.active(scope, ctx.now);
          if (current && !current.finishedAt && !jobId && !text)
            return this.questionnaire.apply(scope, { kind: 'resume' }, ctx.now, current);
          const evidence = options.evidence ? await options.evidence(scope.teamKey, jobId) : ok([]);
          if (!evidence.ok) return [{ text: `Nothing was started: ${evidence.error}.`, ephemeral: true }];
          const start = {
            kind: 'start' as const,
            evidence: evidence.value,
            ...(jobId ? { requestedJob: jobId } : {}),
            ...(text ? { text } : {}),
          };
          return this.questionnaire.apply(scope, start, ctx.now, current);
        },
        ...options.commands,
      },
      this.access,
    );
  }

  /** Handles one event; events of the same conversation and user are handled one at a time. */
  handle(event: IncomingEvent): Promise<Reply[]> {
    const key = `${conversationKey(event.conversation)}|${event.user.id}`;
    return this.lock.run(key, () => this.dispatch(event));
  }

  private async ensureTeam(event: IncomingEvent): Promise<void> {
    const key = teamKey(event.conversation);
    if (this.knownTeams.has(key)) return;
    await this.options.teams.ensure(key, {
      platform: event.conversation.platform,
      externalId: event.conversation.workspace,
    });
    this.knownTeams.set(key, true);
  }

  private async dispatch(event: IncomingEvent): Promise<Reply[]> {
    await this.ensureTeam(event);
    const now = this.clock();
    const scope = scopeOf(event.conversation, event.user.id);
    const platform = this.platforms.of(event.conversation.platform);
    const base = { event, conversation: event.conversation, user: event.user, now, platform };
    switch (event.kind) {
      case 'command':
        return this.router.route(event.text, base);
      case 'message': {
        if (isCommandText(event.text)) return this.router.route(event.text, base);
        const current = await this.questionnaire.active(scope, now);
        if (!current) return [];
        return this.questionnaire.apply(scope, inputFromText(event.text), now, current);
      }
      case 'choice': {
        if (event.actionId === ANSWER_ACTION || event.actionId === NAV_ACTION) {
          const current = await this.questionnaire.active(scope, now);
          if (!current) return [EXPIRED];
          const input =
            event.actionId === ANSWER_ACTION
              ? ({ kind: 'answer', text: event.value } as const)
              : inputFromText(event.value);
          return this.questionnaire.apply(scope, input, now, current);
        }
        if (event.actionId === RUN_COMMAND_ACTION) return this.router.route(event.value, base);
        const prefix = Object.keys(this.options.actions ?? {}).find((p) => event.actionId.startsWith(p));
        const handler = prefix ? this.options.actions?.[prefix] : undefined;
        if (!handler) return [{ text: `Unknown action "${event.actionId}".`, ephemeral: true }];
        return handler(event);
      }
      case 'file':
        if (!this.access.mayDispatch(event.user, event.conversation))
          return [
            { text: this.access.refusal('registering a dataset', event.conversation), ephemeral: true },
          ];
        if (this.options.onFile) return this.options.onFile(event);
        return [
          {
            text: 'Files are read only when the job system is running (datasets for /faceoff compare).',
            ephemeral: true,
          },
        ];
    }
  }
}
