import { ratesOfRequest } from '../analysis/measured-cost';
import type { ReplyCharts } from '../charts/reply-charts';
import { channelKey, conversationKey, teamKey } from '../chat/conversation';
import type { UserRef } from '../chat/incoming';
import type { Reply } from '../chat/replies';
import type { CommandContext } from '../commands/registry';
import { evidenceFromRuns, type MeasuredEvidence } from '../decision/evidence';
import { err, ok, type Result } from '../parsing/result';
import type { ComparisonJobRecord, Repositories } from '../persistence/index';
import { isTaskId, taskProfile } from '../tasks/profiles';
import { describeEstimate, recentMeasurements, type StepRates, stepRatesFor } from './estimate';
import { measuredCentres } from './lr-memory';
import type { ModelPolicy } from './model-policy';
import { allPlannedRuns, describePlan, type LearningRatePlanner, planComparison } from './plan';
import { type ComparisonDispatcher, dispatchRun } from './ports';
import { checkQuota, type QuotaVerdict } from './quota/quota-check';
import { quotaReply } from './quota/quota-reply';
import { type QuotaSettings, UNLIMITED } from './quota/quota-settings';
import { monthStart, type TeamUsage, teamUsage } from './quota/usage';
import { type ComparisonRequest, parseComparisonRequest, parsePlanRequest } from './request';
import { resultsReply } from './results-reply';
import type { RunMetrics } from './run-metrics';
import { jobsTable, statusReply } from './status-messages';

export interface ServiceOptions {
  repositories: Pick<Repositories, 'jobs' | 'datasets' | 'subscriptions'> &
    Partial<Pick<Repositories, 'learningRates'>>;
  dispatcher: ComparisonDispatcher;
  planner: LearningRatePlanner;
  /** User ids allowed to cancel or retry any job, besides platform admins. */
  admins?: string[];
  /** Charts for results; tables only when absent. */
  charts?: Pick<ReplyCharts, 'comparison'>;
  /** Which models may be named; checked before anything is queued. */
  models: ModelPolicy;
  /** Per-team limits checked before anything is queued; none when absent. */
  quota?: QuotaSettings;
  /** Counts the runs a cancellation stops. */
  metrics?: RunMetrics;
}

const reply = (text: string, ephemeral = false): Reply[] => [{ text, ...(ephemeral ? { ephemeral } : {}) }];

/** The comparison commands: validate, plan, store and dispatch; list, status, cancel, retry, results. */
export class ComparisonService {
  constructor(private readonly options: ServiceOptions) {}

  private get jobs() {
    return this.options.repositories.jobs;
  }

  async compare(ctx: CommandContext): Promise<Reply[]> {
    const parsed = parseComparisonRequest(ctx.args.positional, ctx.args.pairs);
    if (!parsed.ok) return reply(`Nothing was queued:\n${parsed.error}`, true);
    return this.queue(ctx, parsed.value);
  }

  /** `/faceoff plan`: the hybrid plan as one staged job (LoRA, then full fine-tuning if needed). */
  async plan(ctx: CommandContext): Promise<Reply[]> {
    const parsed = parsePlanRequest(ctx.args.positional, ctx.args.pairs);
    if (!parsed.ok) return reply(`Nothing was queued:\n${parsed.error}`, true);
    return this.queue(ctx, parsed.value.comparison, parsed.value.target);
  }

  private async queue(ctx: CommandContext, request: ComparisonRequest, hybridTarget?: number) {
    const located = await this.options.models.locate(request.model);
    if (!located.ok) return reply(`Nothing was queued:\n${located.error}`, true);
    const team = teamKey(ctx.conversation);
    let datasetPath: string | undefined;
    let taskNames: string[];
    if (request.task.kind === 'dataset') {
      const dataset = await this.options.repositories.datasets.get(team, request.task.datasetId);
      if (!dataset)
        return reply(
          `Nothing was queued:\ntask: no dataset "${request.task.datasetId}" is registered in this workspace.`,
          true,
        );
      datasetPath = dataset.path;
      taskNames = [dataset.id];
    } else {
      taskNames = request.task.tasks;
    }
    const learningRates = this.options.repositories.learningRates;
    const measured = learningRates
      ? measuredCentres(await learningRates.forBucket(team, this.options.planner.bucket(request.model)))
      : {};
    const options = { measured, ...(hybridTarget === undefined ? {} : { hybridTarget }) };
    const plan = planComparison(request, this.options.planner, taskNames, options);
    const budget = await this.checkBudget(team, request, allPlannedRuns(plan), ctx.now, (changed) =>
      allPlannedRuns(planComparison(changed, this.options.planner, taskNames, options)),
    );
    if (!budget.verdict.ok) return reply(`Nothing was queued:\n${budget.verdict.reason}`, true);
    const job = await this.jobs.create({
      teamKey: team,
      conversationKey: conversationKey(ctx.conversation),
      requesterId: ctx.user.id,
      request,
      plan,
      runs: plan.runs.map(({ rank, ...run }) => ({ ...run, loraRank: rank ?? null })),
    });
    await this.options.dispatcher.dispatch({
      comparisonId: job.id,
      teamKey: team,
      request,
      ...(datasetPath ? { datasetPath } : {}),
      runs: job.runs.map(dispatchRun),
    });
    const runsPerMethod = request.methods.map(
      (m) => allPlannedRuns(plan).filter((r) => r.method === m).length,
    );
    const tasks = taskNames.map((t) => (isTaskId(t) ? taskProfile(t).label : t)).join(', ');
    return reply(
      [
        hybridTarget === undefined
          ? `*Comparison ${job.id}* queued: ${tasks} on ${request.model}.`
          : `*Plan ${job.id}* queued: ${tasks} on ${request.model}, target ${hybridTarget} on the primary test metric.`,
        describePlan(plan),
        describeEstimate(request, budget.rates, runsPerMethod),
        ...(budget.verdict.note ? [budget.verdict.note] : []),
        `Follow it with /faceoff status ${job.id}; results arrive here when it ends.`,
      ].join('\n'),
    ).map((r) => ({ ...r, refs: { jobId: job.id } }));
  }

  async list(ctx: CommandContext): Promise<Reply[]> {
    const jobs = await this.jobs.listRecent(teamKey(ctx.conversation), 10);
    if (!jobs.length)
      return reply('No comparison jobs in this workspace yet. Start one with /faceoff compare.');
    return [{ text: '*Recent comparisons*', tables: [jobsTable(jobs, ctx.now)] }];
  }

  private async find(ctx: CommandContext, usage: string): Promise<ComparisonJobRecord | Reply[]> {
    const id = ctx.args.positional[0];
    if (!id || ctx.args.positional.length > 1 || ctx.args.pairs.size)
      return reply(`Usage: /faceoff ${usage}`, true);
    const job = await this.jobs.get(teamKey(ctx.conversation), id.toLowerCase());
    return job ?? reply(`No job "${id}" in this workspace. /faceoff jobs lists recent ones.`, true);
  }

  async status(ctx: CommandContext): Promise<Reply[]> {
    const job = await this.find(ctx, 'status <job id>');
    return Array.isArray(job) ? job : [statusReply(job, ctx.now)];
  }

  async cancel(ctx: CommandContext): Promise<Reply[]> {
    const job = await this.find(ctx, 'cancel <job id>');
    if (Array.isArray(job)) return job;
    if (!this.mayManage(job, ctx.user))
      return reply(`Only ${job.requesterId} (who started ${job.id}) or an admin can cancel it.`, true);
    const open = job.runs.filter((r) => r.state === 'queued' || r.state === 'running');
    if (!open.length) return reply(`${job.id} has no queued or running runs (it is ${job.state}).`, true);
    for (const run of open) {
      const stopped = await this.jobs.updateRun(
        run.id,
        { state: 'cancelled', finishedAt: ctx.now },
        { from: ['queued', 'running'] },
      );
      if (stopped) this.options.metrics?.runTransition('cancelled', run.method);
    }
    await this.options.dispatcher.cancel(
      job.id,
      open.map((r) => r.queueJobId ?? r.id),
    );
    return reply(
      `Cancelling ${job.id}: ${open.length} run(s) stopped (running trainers get SIGTERM, then SIGKILL after a grace period).`,
    );
  }

  async retry(ctx: CommandContext): Promise<Reply[]> {
    const job = await this.find(ctx, 'retry <job id>');
    if (Array.isArray(job)) return job;
    if (!this.mayManage(job, ctx.user))
      return reply(`Only ${job.requesterId} (who started ${job.id}) or an admin can retry it.`, true);
    const again = job.runs.filter((r) => r.state === 'failed' || r.state === 'cancelled');
    if (!again.length) return reply(`${job.id} has no failed or cancelled runs to retry.`, true);
    if (job.runs.some((r) => r.state === 'queued' || r.state === 'running')) {
      return reply(`${job.id} still has runs in progress; retry once it has ended.`, true);
    }
    const budget = await this.checkBudget(
      teamKey(ctx.conversation),
      job.request as ComparisonRequest,
      again,
      ctx.now,
    );
    if (!budget.verdict.ok) return reply(`Nothing was retried:\n${budget.verdict.reason}`, true);
    const tag = `r${Date.now().toString(36)}`;
    for (const run of again) {
      await this.jobs.updateRun(run.id, {
        state: 'queued',
        error: null,
        progress: null,
        finishedAt: null,
        startedAt: null,
        queueJobId: `${run.id}-${tag}`,
      });
    }
    await this.jobs.setState(job.id, 'queued', { finishedAt: null, error: null });
    await this.jobs.clearAnnounced?.(job.id);
    const request = job.request as ComparisonRequest;
    const dataset =
      request.task.kind === 'dataset'
        ? await this.options.repositories.datasets.get(teamKey(ctx.conversation), request.task.datasetId)
        : null;
    await this.options.dispatcher.dispatch({
      comparisonId: job.id,
      teamKey: teamKey(ctx.conversation),
      request,
      ...(dataset ? { datasetPath: dataset.path } : {}),
      runs: again.map(dispatchRun),
      attemptTag: tag,
    });
    return reply(`Retrying ${again.length} run(s) of ${job.id}.`);
  }

  /** The team's usage this month, with step rates for every model it has runs of. */
  private async usage(team: string, now: Date, measured: Awaited<ReturnType<typeof recentMeasurements>>) {
    const jobs = await this.jobs.listForUsage(team, monthStart(now));
    const models = new Set(jobs.map((j) => (j.request as ComparisonRequest).model));
    const rates = new Map([...models].map((m) => [m, stepRatesFor(measured, team, m)]));
    return teamUsage(jobs, rates, now);
  }

  private async checkBudget(
    team: string,
    request: ComparisonRequest,
    runs: readonly { method: string }[],
    now: Date,
    replan?: (request: ComparisonRequest) => readonly { method: string }[],
  ): Promise<{ verdict: QuotaVerdict; rates: StepRates; usage: TeamUsage }> {
    const measured = await recentMeasurements(this.jobs);
    const rates = stepRatesFor(measured, team, request.model);
    const usage = await this.usage(team, now, measured);
    const settings = this.options.quota ?? UNLIMITED;
    const verdict = checkQuota({
      team,
      request,
      runs,
      settings,
      usage,
      rates,
      ...(replan ? { replan } : {}),
    });
    return { verdict, rates, usage };
  }

  async quota(ctx: CommandContext): Promise<Reply[]> {
    const team = teamKey(ctx.conversation);
    const usage = await this.usage(team, ctx.now, await recentMeasurements(this.jobs));
    return [quotaReply(team, this.options.quota ?? UNLIMITED, usage, ctx.now)];
  }

  /**
   * Measurements a decision can use: those of the named job, or per task the most recent finished
   * comparison of this team that ran both methods.
   */
  async decisionEvidence(team: string, jobId?: string): Promise<Result<MeasuredEvidence[]>> {
    if (jobId) {
      const job = await this.jobs.get(team, jobId.toLowerCase());
      if (!job) return err(`job: no job "${jobId}" in this workspace (/faceoff jobs lists recent ones)`);
      const evidence = evidenceFromRuns(job.id, job.runs, ratesOfRequest(job.request));
      if (!evidence.length)
        return err(
          `job: ${job.id} has no task where both LoRA and full fine-tuning completed (it is ${job.state})`,
        );
      return ok(evidence);
    }
    const byTask = new Map<string, MeasuredEvidence>();
    for (const job of await this.jobs.listRecent(team, 30)) {
      if (job.state === 'queued' || job.state === 'running') continue;
      for (const evidence of evidenceFromRuns(job.id, job.runs, ratesOfRequest(job.request)))
        if (!byTask.has(evidence.task)) byTask.set(evidence.task, evidence);
    }
    return ok([...byTask.values()]);
  }

  /** The requester, a platform admin or a configured admin may cancel or retry a job. */
  private mayManage(job: ComparisonJobRecord, user: UserRef): boolean {
    return (
      job.requesterId === user.id || Boolean(user.isAdmin) || (this.options.admins ?? []).includes(user.id)
    );
  }

  async results(ctx: CommandContext): Promise<Reply[]> {
    const id = ctx.args.positional[0];
    const job = id
      ? await this.jobs.get(teamKey(ctx.conversation), id.toLowerCase())
      : await this.jobs.latestForConversation(conversationKey(ctx.conversation));
    if (!job)
      return reply(
        id ? `No job "${id}" in this workspace.` : 'No comparison in this conversation yet.',
        true,
      );
    return resultsReply(job, this.options.charts);
  }

  async subscribe(ctx: CommandContext): Promise<Reply[]> {
    const outcome = await this.options.repositories.subscriptions.subscribe(
      teamKey(ctx.conversation),
      channelKey(ctx.conversation),
      ctx.user.id,
    );
    return reply(
      outcome === 'created'
        ? "This channel will get completion and failure notices for this team's jobs."
        : 'This channel is already subscribed.',
    );
  }

  async unsubscribe(ctx: CommandContext): Promise<Reply[]> {
    const removed = await this.options.repositories.subscriptions.unsubscribe(
      teamKey(ctx.conversation),
      channelKey(ctx.conversation),
    );
    return reply(
      removed ? 'This channel will no longer get job notices.' : 'This channel was not subscribed.',
    );
  }
}
