import { ratesOfRequest } from '../analysis/measured-cost';
import type { JobCharts } from '../charts/reply-charts';
import { channelKey, conversationKey, teamKey } from '../chat/conversation';
import type { UserRef } from '../chat/incoming';
import type { Reply } from '../chat/replies';
import type { CommandContext } from '../commands/registry';
import { evidenceFromRuns, type MeasuredEvidence } from '../decision/evidence';
import { err, ok, type Result } from '../parsing/result';
import {
  type ComparisonJobRecord,
  isStudyId,
  type Repositories,
  type StudyWithJobs,
} from '../persistence/index';
import { quoted } from '../render/shorten';
import { isTaskId, taskProfile } from '../tasks/profiles';
import type { AdapterPackager } from './adapter-package';
import { adapterReply } from './adapter-reply';
import { variantOf } from './combinations';
import { describeCombinePlan, planCombine } from './combine-plan';
import { datasetPathsOf } from './dataset-paths';
import { describeEstimate, recentMeasurements, type StepRates, stepRatesFor } from './estimate';
import { measuredCentres } from './lr-memory';
import type { ModelPolicy } from './model-policy';
import { allPlannedRuns, describePlan, type LearningRatePlanner, planComparison } from './plan';
import { type ComparisonDispatcher, dispatchRun } from './ports';
import { checkQuota, type QuotaVerdict } from './quota/quota-check';
import { quotaReply } from './quota/quota-reply';
import { type QuotaSettings, UNLIMITED } from './quota/quota-settings';
import { monthStart, type TeamUsage, teamUsage } from './quota/usage';
import {
  type ComparisonRequest,
  parseCombineRequest,
  parseComparisonRequest,
  parsePlanRequest,
} from './request';
import { resultsReply } from './results-reply';
import type { RunMetrics } from './run-metrics';
import { jobsTable, statusReply } from './status-messages';
import { studyHasEnded, studyMembersText, studyResultsReply } from './study-reply';

export interface ServiceOptions {
  repositories: Pick<Repositories, 'jobs' | 'datasets' | 'subscriptions' | 'studies'> &
    Partial<Pick<Repositories, 'learningRates'>>;
  dispatcher: ComparisonDispatcher;
  planner: LearningRatePlanner;
  /** User ids allowed to cancel or retry any job, besides platform admins. */
  admins?: string[];
  /** Charts for results; tables only when absent. */
  charts?: JobCharts;
  /** Which models may be named; checked before anything is queued. */
  models: ModelPolicy;
  /** Per-team limits checked before anything is queued; none when absent. */
  quota?: QuotaSettings;
  /** Counts the runs a cancellation stops. */
  metrics?: RunMetrics;
  /** Packs trained adapters for `/faceoff adapter` (where the job system stores artifacts). */
  adapters?: AdapterPackager;
  /** Which sweep points get the test set (plan.ts testsChosenOnly); absent: by the model. */
  sweepTest?: 'chosen' | 'every';
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

  /**
   * `/faceoff combine`: one staged job: skill adapters and multi-task LoRA and full fine-tuning,
   * then the combinations of each seed's skill adapters; the quota counts every run it may add.
   */
  async combine(ctx: CommandContext): Promise<Reply[]> {
    const parsed = parseCombineRequest(ctx.args.positional, ctx.args.pairs);
    if (!parsed.ok) return reply(`Nothing was queued:\n${parsed.error}`, true);
    const request = parsed.value;
    const located = await this.options.models.locate(request.model);
    if (!located.ok) return reply(`Nothing was queued:\n${located.error}`, true);
    const team = teamKey(ctx.conversation);
    const tasks = await this.resolveTasks(team, request);
    if (!tasks.ok) return reply(`Nothing was queued:\n${tasks.error}`, true);
    const plan = planCombine(request, this.options.planner);
    const runs = allPlannedRuns(plan);
    const budget = await this.checkBudget(team, request, runs, ctx.now, (changed) =>
      allPlannedRuns(planCombine({ ...changed, combine: request.combine }, this.options.planner)),
    );
    if (!budget.verdict.ok) return reply(`Nothing was queued:\n${budget.verdict.reason}`, true);
    const job = await this.createAndDispatch(ctx, request, plan, tasks.value.datasetPaths);
    // Combination runs train nothing: the estimate counts the training runs (the quota counts all).
    const trained = runs.filter((r) => variantOf(r.task)?.kind !== 'combination');
    const runsPerMethod = request.methods.map((m) => trained.filter((r) => r.method === m).length);
    const skills = request.task.kind === 'suites' ? this.taskText(request.task.tasks) : 'datasets';
    return reply(
      [
        `*Combine ${job.id}* queued: ${skills} skills (${request.combine.skills.join(', ')}) on ${request.model}.`,
        describeCombinePlan(plan, request.combine),
        `${describeEstimate(request, budget.rates, runsPerMethod)} The ${runs.length - trained.length} combination runs only evaluate and are not in this estimate.`,
        ...(budget.verdict.note ? [budget.verdict.note] : []),
        `Follow it with /faceoff status ${job.id}; the combination table arrives here when it ends.`,
      ].join('\n'),
    ).map((r) => ({ ...r, refs: { jobId: job.id } }));
  }

  private async queue(ctx: CommandContext, request: ComparisonRequest, hybridTarget?: number) {
    if (request.models) return this.queueStudy(ctx, request, request.models);
    const located = await this.options.models.locate(request.model);
    if (!located.ok) return reply(`Nothing was queued:\n${located.error}`, true);
    const team = teamKey(ctx.conversation);
    const tasks = await this.resolveTasks(team, request);
    if (!tasks.ok) return reply(`Nothing was queued:\n${tasks.error}`, true);
    const { taskNames, datasetPaths } = tasks.value;
    const options = await this.planOptions(team, request.model, hybridTarget);
    const plan = planComparison(request, this.options.planner, taskNames, options);
    const budget = await this.checkBudget(team, request, allPlannedRuns(plan), ctx.now, (changed) =>
      allPlannedRuns(planComparison(changed, this.options.planner, taskNames, options)),
    );
    if (!budget.verdict.ok) return reply(`Nothing was queued:\n${budget.verdict.reason}`, true);
    const job = await this.createAndDispatch(ctx, request, plan, datasetPaths);
    const runsPerMethod = request.methods.map(
      (m) => allPlannedRuns(plan).filter((r) => r.method === m).length,
    );
    const taskText = this.taskText(taskNames);
    return reply(
      [
        hybridTarget === undefined
          ? `*Comparison ${job.id}* queued: ${taskText} on ${request.model}.`
          : `*Plan ${job.id}* queued: ${taskText} on ${request.model}, target ${hybridTarget} on the primary test metric.`,
        describePlan(plan),
        describeEstimate(request, budget.rates, runsPerMethod),
        ...(budget.verdict.note ? [budget.verdict.note] : []),
        `Follow it with /faceoff status ${job.id}; results arrive here when it ends.`,
      ].join('\n'),
    ).map((r) => ({ ...r, refs: { jobId: job.id } }));
  }

  /**
   * A scaling study: the same comparison on each model, one job per model (each planned, swept and
   * announced like any comparison), checked against the quota together before anything is queued;
   * the scaling table is announced once every one of them has ended.
   */
  private async queueStudy(ctx: CommandContext, request: ComparisonRequest, models: readonly string[]) {
    const problems: string[] = [];
    for (const model of models) {
      const located = await this.options.models.locate(model);
      if (!located.ok) problems.push(located.error);
    }
    if (problems.length) return reply(`Nothing was queued:\n${problems.join('\n')}`, true);
    const team = teamKey(ctx.conversation);
    const tasks = await this.resolveTasks(team, request);
    if (!tasks.ok) return reply(`Nothing was queued:\n${tasks.error}`, true);
    const { taskNames, datasetPaths } = tasks.value;
    const { models: _models, ...single } = request;
    const members = [];
    let reserved = 0;
    for (const model of models) {
      const memberRequest: ComparisonRequest = { ...single, model };
      const options = await this.planOptions(team, model);
      const plan = planComparison(memberRequest, this.options.planner, taskNames, options);
      const budget = await this.checkBudget(
        team,
        memberRequest,
        allPlannedRuns(plan),
        ctx.now,
        (changed) => allPlannedRuns(planComparison(changed, this.options.planner, taskNames, options)),
        reserved,
      );
      if (!budget.verdict.ok) return reply(`Nothing was queued (${model}):\n${budget.verdict.reason}`, true);
      reserved += budget.verdict.estimatedHours ?? 0;
      members.push({ request: memberRequest, plan, rates: budget.rates, note: budget.verdict.note });
    }
    const study = await this.options.repositories.studies.create({
      teamKey: team,
      conversationKey: conversationKey(ctx.conversation),
      requesterId: ctx.user.id,
      kind: 'scaling',
      request,
    });
    const lines: string[] = [];
    for (const member of members) {
      const job = await this.createAndDispatch(ctx, member.request, member.plan, datasetPaths, study.id);
      const runs = allPlannedRuns(member.plan);
      const runsPerMethod = request.methods.map((m) => runs.filter((r) => r.method === m).length);
      lines.push(
        `- ${member.request.model}: comparison ${job.id}, up to ${runs.length} runs. ${describeEstimate(member.request, member.rates, runsPerMethod)}`,
      );
    }
    const last = members.at(-1)?.note;
    return reply(
      [
        `*Scaling study ${study.id}* queued: ${this.taskText(taskNames)} on ${models.join(', ')}, one comparison per model (same tasks, methods, seeds and steps; ${request.lrSweep ? "each model's learning rates swept on its own" : "each model at its size's default learning rates, not swept"}).`,
        ...lines,
        ...(last ? [last] : []),
        `Each comparison is announced when it ends; the scaling table (gap, time, memory, trainable share and storage against parameter count) follows once all have ended. /faceoff status ${study.id} follows it.`,
      ].join('\n'),
    ).map((r) => ({ ...r, refs: { jobId: study.id } }));
  }

  private taskText(taskNames: readonly string[]): string {
    return taskNames.map((t) => (isTaskId(t) ? taskProfile(t).label : t)).join(', ');
  }

  private async resolveTasks(
    team: string,
    request: ComparisonRequest,
  ): Promise<Result<{ taskNames: string[]; datasetPaths?: Record<string, string> }>> {
    if (request.task.kind !== 'dataset') return ok({ taskNames: request.task.tasks });
    const found = await datasetPathsOf(this.options.repositories.datasets, team, request);
    if (found.missing.length)
      return err(
        found.missing
          .map((id) => `task: no dataset ${quoted(id)} is registered in this workspace.`)
          .join('\n'),
      );
    return ok({ taskNames: Object.keys(found.paths), datasetPaths: found.paths });
  }

  private async planOptions(team: string, model: string, hybridTarget?: number) {
    const learningRates = this.options.repositories.learningRates;
    const measured = learningRates
      ? measuredCentres(await learningRates.forBucket(team, this.options.planner.bucket(model)))
      : {};
    return {
      measured,
      ...(hybridTarget === undefined ? {} : { hybridTarget }),
      ...(this.options.sweepTest ? { sweepTest: this.options.sweepTest } : {}),
    };
  }

  private async createAndDispatch(
    ctx: CommandContext,
    request: ComparisonRequest,
    plan: ReturnType<typeof planComparison>,
    datasetPaths: Record<string, string> | undefined,
    studyId?: string,
  ): Promise<ComparisonJobRecord> {
    const team = teamKey(ctx.conversation);
    const job = await this.jobs.create({
      teamKey: team,
      conversationKey: conversationKey(ctx.conversation),
      requesterId: ctx.user.id,
      request,
      plan,
      runs: plan.runs.map(({ rank, ...run }) => ({ ...run, loraRank: rank ?? null })),
      ...(studyId ? { studyId } : {}),
    });
    await this.options.dispatcher.dispatch({
      comparisonId: job.id,
      teamKey: team,
      request,
      ...(datasetPaths ? { datasetPaths } : {}),
      runs: job.runs.map((run) => dispatchRun(run)),
    });
    return job;
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
    return job ?? reply(`No job ${quoted(id)} in this workspace. /faceoff jobs lists recent ones.`, true);
  }

  /** The team's study named by `id` when it is a study id (`st-...`); a reply when there is none. */
  private async findStudy(
    ctx: CommandContext,
    id: string | undefined,
  ): Promise<StudyWithJobs | Reply[] | undefined> {
    if (!id || !isStudyId(id)) return undefined;
    const study = await this.options.repositories.studies.get(teamKey(ctx.conversation), id);
    return study ?? reply(`No study ${quoted(id)} in this workspace.`, true);
  }

  async status(ctx: CommandContext): Promise<Reply[]> {
    const study = await this.findStudy(ctx, ctx.args.positional[0]);
    if (Array.isArray(study)) return study;
    if (study)
      return reply(
        `*Scaling study ${study.id}*: ${studyHasEnded(study) ? 'ended' : 'in progress'}\n${studyMembersText(study)}`,
      );
    const job = await this.find(ctx, 'status <job id>');
    return Array.isArray(job) ? job : [statusReply(job, ctx.now)];
  }

  async cancel(ctx: CommandContext): Promise<Reply[]> {
    const study = await this.findStudy(ctx, ctx.args.positional[0]);
    if (Array.isArray(study)) return study;
    if (study) return this.cancelStudy(ctx, study);
    const job = await this.find(ctx, 'cancel <job id>');
    if (Array.isArray(job)) return job;
    if (!this.mayManage(job, ctx.user))
      return reply(`Only ${job.requesterId} (who started ${job.id}) or an admin can cancel it.`, true);
    const stopped = await this.stopJob(ctx, job);
    if (!stopped) return reply(`${job.id} has no queued or running runs (it is ${job.state}).`, true);
    return reply(
      `Cancelling ${job.id}: ${stopped} run(s) stopped (running trainers get SIGTERM, then SIGKILL after a grace period).`,
    );
  }

  /** Cancels every comparison of a study that is still open. */
  private async cancelStudy(ctx: CommandContext, study: StudyWithJobs): Promise<Reply[]> {
    if (!this.mayManage(study, ctx.user))
      return reply(`Only ${study.requesterId} (who started ${study.id}) or an admin can cancel it.`, true);
    let stopped = 0;
    for (const job of study.jobs) stopped += await this.stopJob(ctx, job);
    if (!stopped) return reply(`${study.id} has no queued or running runs.`, true);
    return reply(
      `Cancelling ${study.id}: ${stopped} run(s) stopped across its comparisons (running trainers get SIGTERM, then SIGKILL after a grace period).`,
    );
  }

  /** Stops a job's queued and running runs; returns how many. */
  private async stopJob(ctx: CommandContext, job: ComparisonJobRecord): Promise<number> {
    const open = job.runs.filter((r) => r.state === 'queued' || r.state === 'running');
    if (!open.length) return 0;
    for (const run of open) {
      const stopped = await this.jobs.changeRun(
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
    return open.length;
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
      await this.jobs.changeRun(run.id, {
        state: 'queued',
        error: null,
        progress: null,
        finishedAt: null,
        startedAt: null,
        queueJobId: `${run.id}-${tag}`,
      });
    }
    await this.jobs.changeState(job.id, 'queued', { finishedAt: null, error: null });
    await this.jobs.clearAnnounced?.(job.id);
    const request = job.request as ComparisonRequest;
    const datasets = await datasetPathsOf(
      this.options.repositories.datasets,
      teamKey(ctx.conversation),
      request,
    );
    if (datasets.missing.length)
      return reply(
        `Nothing was retried: dataset ${datasets.missing.join(', ')} is no longer registered.`,
        true,
      );
    await this.options.dispatcher.dispatch({
      comparisonId: job.id,
      teamKey: teamKey(ctx.conversation),
      request,
      ...(request.task.kind === 'dataset' ? { datasetPaths: datasets.paths } : {}),
      runs: again.map((run) => dispatchRun(run, job.runs)),
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
    /** Hours reserved besides the team's usage: the study's comparisons checked before this one. */
    alsoReserved = 0,
  ): Promise<{ verdict: QuotaVerdict; rates: StepRates; usage: TeamUsage }> {
    const measured = await recentMeasurements(this.jobs);
    const rates = stepRatesFor(measured, team, request.model);
    const counted = await this.usage(team, now, measured);
    const usage = { ...counted, reservedHours: counted.reservedHours + alsoReserved };
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
      if (!job)
        return err(`job: no job ${quoted(jobId)} in this workspace (/faceoff jobs lists recent ones)`);
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
  private mayManage(job: Pick<ComparisonJobRecord, 'requesterId'>, user: UserRef): boolean {
    return (
      job.requesterId === user.id || Boolean(user.isAdmin) || (this.options.admins ?? []).includes(user.id)
    );
  }

  async results(ctx: CommandContext): Promise<Reply[]> {
    const id = ctx.args.positional[0];
    const study = await this.findStudy(ctx, id);
    if (Array.isArray(study)) return study;
    if (study) return studyResultsReply(study, this.options.charts);
    const job = id
      ? await this.jobs.get(teamKey(ctx.conversation), id.toLowerCase())
      : await this.jobs.latestForConversation(conversationKey(ctx.conversation));
    if (!job)
      return reply(
        id ? `No job ${quoted(id)} in this workspace.` : 'No comparison in this conversation yet.',
        true,
      );
    return resultsReply(job, this.options.charts);
  }

  /** `/faceoff adapter <job> [task] [method]`: the adapter the job chose, as a file or a link. */
  async adapter(ctx: CommandContext): Promise<Reply[]> {
    const [id, ...rest] = ctx.args.positional;
    if (!id || rest.length > 2) return reply('Usage: /faceoff adapter <job id> [task] [method]', true);
    const study = await this.findStudy(ctx, id);
    if (Array.isArray(study)) return study;
    if (study) {
      return reply(
        `${study.id} is a scaling study: ask for the adapter of one of its comparisons (${study.jobs.map((j) => j.id).join(', ')}).`,
        true,
      );
    }
    const packager = this.options.adapters;
    if (!packager) return reply('This deployment does not hand out adapters.', true);
    const job = await this.jobs.get(teamKey(ctx.conversation), id.toLowerCase());
    if (!job) return reply(`No job ${quoted(id)} in this workspace. /faceoff jobs lists recent ones.`, true);
    const task = ctx.args.pairs.get('task') ?? rest[0];
    const method = (ctx.args.pairs.get('method') ?? rest[1])?.toLowerCase();
    return adapterReply(job, { task, method, platform: ctx.platform, packager });
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
