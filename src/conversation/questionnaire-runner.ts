import type { ReplyCharts } from '../charts/reply-charts';
import { conversationKey, teamKey } from '../chat/conversation';
import type { Reply } from '../chat/replies';
import { type QuestionnaireInput, type QuestionnaireState, step } from '../decision/questionnaire';
import type { Verdict } from '../decision/recommendation';
import type { DecisionStore, SessionStore } from './stores';

export interface Scope {
  teamKey: string;
  conversationKey: string;
  userId: string;
}

export function scopeOf(conversation: Parameters<typeof conversationKey>[0], userId: string): Scope {
  return { teamKey: teamKey(conversation), conversationKey: conversationKey(conversation), userId };
}

function isState(value: unknown): value is QuestionnaireState {
  const s = value as QuestionnaireState | null;
  return !!s && s.version === 1 && typeof s.index === 'number' && typeof s.answers === 'object';
}

/** Loads a user's questionnaire, applies one input through the pure reducer, persists the outcome. */
export class QuestionnaireRunner {
  constructor(
    private readonly sessions: SessionStore,
    private readonly decisions: DecisionStore,
    private readonly ttlMs: number,
    private readonly charts?: Pick<ReplyCharts, 'decision'>,
  ) {}

  async active(scope: Scope, now: Date): Promise<QuestionnaireState | null> {
    const row = await this.sessions.load(scope.teamKey, scope.conversationKey, scope.userId, now);
    return row && isState(row.state) ? row.state : null;
  }

  async apply(
    scope: Scope,
    input: QuestionnaireInput,
    now: Date,
    current?: QuestionnaireState | null,
  ): Promise<Reply[]> {
    const state = current === undefined ? await this.active(scope, now) : current;
    const outcome = step(state, input, now);
    if (outcome.state) {
      await this.sessions.save(
        scope.teamKey,
        scope.conversationKey,
        scope.userId,
        outcome.state,
        new Date(now.getTime() + this.ttlMs),
      );
    } else if (state) {
      await this.sessions.delete(scope.teamKey, scope.conversationKey, scope.userId);
    }
    const extra: Reply[] = [];
    for (const effect of outcome.effects) {
      const { answers, verdict } = effect;
      await this.decisions.record({
        ...scope,
        answers,
        recommendation: verdict.recommendation,
        result: {
          recommendation: verdict.recommendation,
          loraTotal: verdict.scores.loraTotal,
          fullTotal: verdict.scores.fullTotal,
          margin: verdict.margin,
          rows: verdict.scores.rows,
          drivers: verdict.drivers,
          fullSignals: verdict.fullSignals,
        },
      });
      if (this.charts) extra.push(await this.scoreChart(verdict));
    }
    return [...outcome.replies, ...extra];
  }

  /** The weighted-score chart, or a line saying it could not be drawn (the scores are complete). */
  private async scoreChart(verdict: Verdict): Promise<Reply> {
    try {
      const image = await this.charts?.decision(verdict);
      return {
        text: "*Weighted scores* (the framework's criteria, adjusted by your answers)",
        ...(image ? { images: [image] } : {}),
      };
    } catch (e) {
      return {
        text: `The score chart could not be drawn (${(e as Error).message}); the scores above are complete.`,
      };
    }
  }
}
