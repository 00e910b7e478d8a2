import { LRUCache } from 'lru-cache';
import { selectArms } from '../analysis/arms';
import type { RunSummary } from '../analysis/run-summary';
import type { JobCharts } from '../charts/reply-charts';
import { parseConversationKey } from '../chat/conversation';
import type { Reply } from '../chat/replies';
import {
  type ComparisonJobRecord,
  type ComparisonRunRecord,
  type DatasetRepository,
  type JobState,
  type MetricPoint,
  type Repositories,
  type RunEnding,
  type RunPatch,
  runAfterPatch,
} from '../persistence/index';
import type { LearningRateOptimumRepository } from '../persistence/learning-rate-optimum-repository';
import type {
  NoticeInput,
  NoticeRecord,
  OutboxRepository,
  StoredReply,
  SubscriberNotices,
} from '../persistence/outbox-repository';
import type { StudyRepository } from '../persistence/study-repository';
import { datasetPathsOf } from './dataset-paths';
import { recentMeasurements, stepRatesFor } from './estimate';
import { asFailure, explainFailure, type RunFailureInfo } from './failures';
import { sweepOptima } from './lr-memory';
import { OutboxSender, type OutboxSenderOptions, type OutboxStore } from './outbox-sender';
import type { ComparisonPlan } from './plan';
import { type ComparisonDispatcher, dispatchRun, type Notifier } from './ports';
import type { ComparisonRequest } from './request';
import { resultsReply } from './results-reply';
import { NO_RUN_METRICS, type RunMetrics } from './run-metrics';
import { nextStage, type StageStep } from './stages';
import { progressReply, runLabel } from './status-messages';
import { studyHasEnded, studyResultsReply } from './study-reply';

export interface RunProgressReport {
  step: number;
  total: number;
  loss?: number;
  evalLoss?: number;
  points?: { series: string; step: number; value: number }[];
  [key: string]: unknown;
}

export interface TrackerOptions {
  repositories: Pick<Repositories, 'jobs'> & {
    outbox: OutboxStore & Pick<OutboxRepository, 'replace' | 'enqueue'>;
    /** Studies (a scaling study's comparisons); without it no study is announced. */
    studies?: Pick<StudyRepository, 'getById'>;
  };
  notifier: Notifier;
  /** The outbox sender's timings (poll, lease, backoff, giving up). */
  outbox?: Pick<OutboxSenderOptions, 'pollMs' | 'leaseMs' | 'backoffMs' | 'maxBackoffMs' | 'giveUpAfterMs'>;
  clock?: () => Date;
  /** Minimum time between two edits of a job's progress message. */
  progressIntervalMs?: number;
  charts?: JobCharts;
  /** Counts run state changes and durations (none recorded when absent). */
  metrics?: RunMetrics;
  log?: (message: string) => void;
  /** Dispatches the later stages of staged comparisons; without it every comparison ends after its first. */
  stages?: { dispatcher: ComparisonDispatcher; datasets: Pick<DatasetRepository, 'get'> };
  /** Where finished sweeps record their chosen learning rates, by the model's size bucket. */
  learningRates?: { repository: LearningRateOptimumRepository; bucketOf: (model: string) => string };
}

const OPEN: readonly JobState[] = ['queued', 'running'];

/**
 * Records what the queue reports in the database and tells the conversation; owns announcements.
 * Everything it tells a conversation goes through the outbox: a notice is written with the state
 * change it reports (in one transaction or statement) and the sender posts it, retrying until the
 * platform takes it.
 */
export class ComparisonTracker {
  /** When each job last posted progress (bounded: finished jobs age out as the least recently used). */
  private readonly lastProgress = new LRUCache<string, number>({ max: 10_000 });
  private readonly announcing = new Set<Promise<void>>();
  /** Jobs whose end this tracker just stored, by id, while it posts their announcement. */
  private readonly justEnded = new Map<string, ComparisonJobRecord>();
  private readonly clock: () => Date;
  private readonly metrics: RunMetrics;
  readonly sender: OutboxSender;

  constructor(private readonly options: TrackerOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.metrics = options.metrics ?? NO_RUN_METRICS;
    this.sender = new OutboxSender({
      ...options.outbox,
      outbox: options.repositories.outbox,
      notifier: options.notifier,
      render: (notice) => this.render(notice),
      clock: this.clock,
      ...(options.log ? { log: options.log } : {}),
    });
  }

  /** Starts posting the outbox on a timer too (retries, notices other processes wrote). */
  start(): void {
    this.sender.start();
  }

  /** Stops posting; what is claimed but not begun is handed back for another process (see OutboxSender.stop). */
  stop(): Promise<void> {
    return this.sender.stop();
  }

  private get outbox() {
    return this.options.repositories.outbox;
  }

  /** Lets the sender post what was just written; a failure is the sender's to retry, never the caller's. */
  private kick(): void {
    void this.sender.kick();
  }

  private get jobs() {
    return this.options.repositories.jobs;
  }

  async runActive(comparisonId: string, runId: string, attempt: number): Promise<void> {
    const now = this.clock();
    const patch = { state: 'running', startedAt: now, attempts: attempt } as const;
    // The run is read back only when a metric counts it by its method.
    const started = this.options.metrics
      ? this.jobs.updateRun(runId, patch, { from: OPEN }).then((run) => {
          if (run) this.metrics.runTransition('started', run.method);
        })
      : this.jobs.changeRun(runId, patch, { from: OPEN });
    // Two rows that do not depend on each other: written side by side.
    await Promise.all([
      started,
      this.jobs.changeState(comparisonId, 'running', { startedAt: now, from: ['queued'] }),
    ]);
  }

  async runProgress(comparisonId: string, runId: string, progress: RunProgressReport): Promise<void> {
    const { points, ...rest } = progress;
    // The latest progress and the new points (one batch insert), side by side: neither waits for the other.
    await Promise.all([
      this.jobs.changeRun(runId, { progress: rest }, { from: ['running'] }),
      points?.length ? this.jobs.appendMetricPoints(runId, points) : undefined,
    ]);
    const now = this.clock().getTime();
    const interval = this.options.progressIntervalMs ?? 5000;
    if (now - (this.lastProgress.get(comparisonId) ?? 0) < interval) return;
    this.lastProgress.set(comparisonId, now);
    const job = await this.jobs.getById(comparisonId);
    if (!job || !OPEN.includes(job.state)) return;
    await this.outbox.replace(
      {
        key: `progress:${job.id}`,
        jobId: job.id,
        conversationKey: job.conversationKey,
        kind: 'progress',
        payload: { reply: stored(progressReply(job, this.clock())) },
      },
      this.clock(),
    );
    this.kick();
  }

  async runCompleted(runId: string, result: RunResult): Promise<void> {
    // The run is read back only when a metric counts it.
    await this.completeRun(runId, result, Boolean(this.options.metrics));
  }

  /**
   * Records a run's result: the run as stored after (with `readBack`, else true), or null when it
   * was no longer open. `readBack` may be the run as read before: the run after is then that record
   * with what was written, without reading it again.
   */
  private async completeRun(
    runId: string,
    result: RunResult,
    readBack: boolean | ComparisonRunRecord = true,
  ): Promise<ComparisonRunRecord | true | null> {
    const now = this.clock();
    const { patch, points } = completion(result, now);
    const write = async (): Promise<ComparisonRunRecord | true | null> => {
      if (readBack === true) return this.jobs.updateRun(runId, patch, { from: OPEN });
      const changed = await this.jobs.changeRun(runId, patch, { from: OPEN });
      if (!changed) return null;
      return readBack ? runAfterPatch(readBack, patch, now) : true;
    };
    // The learning curves are stored whether or not the run was still open (re-sent points are
    // skipped): side by side with its result.
    const [run] = await Promise.all([
      write(),
      points.length ? this.jobs.appendMetricPoints(runId, points) : undefined,
    ]);
    if (run && run !== true) this.ended(run, patch.state === 'cancelled' ? 'cancelled' : 'completed');
    return run;
  }

  async runFailed(
    comparisonId: string,
    runId: string,
    failure: RunFailureInfo,
    willRetry: boolean,
    attempt: number,
    maxAttempts: number,
  ): Promise<void> {
    const job = await this.jobs.getById(comparisonId);
    const run = job?.runs.find((r) => r.id === runId);
    if (!job || !run || run.state === 'cancelled') return;
    const words = explainFailure(run.method, failure);
    if (willRetry) {
      const notice: NoticeInput = {
        key: `retry:${runId}:${attempt}`,
        jobId: job.id,
        conversationKey: job.conversationKey,
        kind: 'retry',
        payload: {
          reply: { text: `${runLabel(run)}: ${words} Retrying (attempt ${attempt + 1} of ${maxAttempts}).` },
        },
      };
      if (await this.jobs.changeRun(runId, { state: 'queued', error: failure }, { notices: [notice] })) {
        this.metrics.runTransition('retried', run.method);
        this.kick();
      }
      return;
    }
    const failed = await this.jobs.updateRun(runId, {
      state: 'failed',
      error: failure,
      finishedAt: this.clock(),
    });
    if (failed && OPEN.includes(run.state)) this.ended(failed, 'failed');
  }

  /** Counts a run that reached an end state, and how long it took when it had started (a cancelled one: no duration). */
  private ended(run: ComparisonRunRecord, outcome: 'completed' | 'failed' | 'cancelled'): void {
    this.metrics.runTransition(outcome, run.method);
    if (outcome === 'cancelled') return;
    if (run.startedAt && run.finishedAt)
      this.metrics.runDuration(
        run.method,
        outcome,
        Math.max(0, run.finishedAt.getTime() - run.startedAt.getTime()) / 1000,
      );
  }

  /**
   * Called once every run of a comparison has ended, with the children's results by queue job id;
   * reconciles what queue events may have missed, stores the outcome and announces it exactly once.
   */
  async comparisonEnded(
    comparisonId: string,
    outcome: RunOutcomes | Promise<RunOutcomes>,
  ): Promise<ComparisonJobRecord | null> {
    return this.endComparison(comparisonId, outcome, 3);
  }

  private async endComparison(
    comparisonId: string,
    outcomes: RunOutcomes | Promise<RunOutcomes>,
    tries: number,
  ): Promise<ComparisonJobRecord | null> {
    // The outcomes may still be on their way (read from the queue): the job is read meanwhile.
    const [before, outcome] = await Promise.all([this.jobs.getById(comparisonId), outcomes]);
    if (!before) return null;
    const runFor = (queueJobId: string) =>
      before.runs.find((r) => (r.queueJobId ?? r.id) === queueJobId || r.id === queueJobId);
    // The runs this call ended, as stored; a run it found open that someone else ended meanwhile
    // means the job is read again, otherwise `before` with these runs is the job as stored.
    const changed = new Map<string, ComparisonRunRecord>();
    let raced = false;
    // The runs' results and failures are written with the end, in its statement; a staged
    // comparison's first (its next stage, if any, is chosen from them and the comparison does not end).
    const ending: RunEnding[] = [];
    const now = this.clock();
    const staged = Boolean(this.options.stages && (before.plan as ComparisonPlan | null)?.staging);
    const endWithJob = (run: ComparisonRunRecord, patch: RunPatch, points?: MetricPoint[]) => {
      ending.push({ runId: run.id, patch, from: OPEN, ...(points?.length ? { points } : {}) });
      changed.set(run.id, runAfterPatch(run, patch, now));
    };
    await Promise.all(
      Object.entries(outcome.completed).map(async ([queueJobId, result]) => {
        const run = runFor(queueJobId);
        if (!run || !OPEN.includes(run.state)) return;
        if (!staged) {
          const { patch, points } = completion(result, now);
          endWithJob(run, patch, points);
          return;
        }
        const completed = await this.completeRun(run.id, result, run);
        if (completed && completed !== true) changed.set(completed.id, completed);
        else raced = true;
      }),
    );
    for (const [queueJobId, failure] of Object.entries(outcome.failed)) {
      const run = runFor(queueJobId);
      if (!run || !OPEN.includes(run.state)) continue;
      const patch: RunPatch = { state: 'failed', error: failure, finishedAt: now };
      if (!staged) {
        endWithJob(run, patch);
        continue;
      }
      const failed = await this.jobs.updateRun(run.id, patch, { from: OPEN });
      if (failed) {
        this.ended(failed, 'failed');
        changed.set(failed.id, failed);
      } else raced = true;
    }
    const job = raced
      ? await this.jobs.getById(comparisonId)
      : { ...before, runs: before.runs.map((r) => changed.get(r.id) ?? r) };
    if (!job) return null;
    const step = await this.stageStep(job);
    if (step === 'continued') return this.jobs.getById(comparisonId);
    const states = job.runs.map((r) => r.state);
    const state: JobState = states.every((s) => s === 'cancelled')
      ? 'cancelled'
      : states.some((s) => s === 'completed')
        ? 'completed'
        : 'failed';
    const summary = {
      ...(step.verdict ? { verdict: step.verdict.text } : {}),
      arms: selectArms(job.runs).map((a) => ({
        task: a.task,
        method: a.method,
        ...(a.chosenLr !== undefined ? { chosenLr: a.chosenLr } : {}),
        ...(a.chosenRank !== undefined ? { chosenRank: a.chosenRank } : {}),
        seeds: a.runs.length,
        failed: a.failed,
      })),
    };
    const error = state === 'failed' ? this.failureText(job) : null;
    const finishedAt = this.clock();
    // The study's announcement, when this end completes it: written with the end, in one statement.
    const { notices, subscribers } = this.announcementNotices({ ...job, state, finishedAt });
    const studyNotice = job.studyId
      ? await this.studyNotice(job.studyId, { jobId: job.id, finishedAt })
      : undefined;
    if (studyNotice) notices.push(studyNotice);
    // The runs' results and failures, the end, the claim to announce it and the announcement's
    // notices: one statement (the end only if every one of those runs was still open). The job as
    // stored after it is the job read above (its runs as this call left them) with what the
    // statement wrote: no need to read it back.
    const stored = await this.jobs.change({
      id: comparisonId,
      state,
      change: { finishedAt, summary, error, from: OPEN, announced: true },
      notices,
      subscribers,
      runs: ending,
      at: now,
    });
    for (const id of stored.runs) {
      const run = changed.get(id);
      if (run) this.ended(run, run.state as 'completed' | 'failed' | 'cancelled');
    }
    if (stored.runs.length < ending.length) {
      // A run found open was ended by someone else meanwhile, so the job did not change: it ends
      // again from its runs as stored now.
      if (tries <= 1) throw new Error(`comparison ${comparisonId}: its runs kept changing while it ended`);
      return this.endComparison(comparisonId, outcome, tries - 1);
    }
    await this.rememberLearningRates(job);
    if (!stored.changed) return this.jobs.getById(comparisonId);
    const ended: ComparisonJobRecord = { ...job, state, finishedAt, summary, error, announcedAt: finishedAt };
    await this.studyStep(ended);
    // The end and its notices are stored: the sender posts them now, and the caller (the queue's
    // parent job) does not wait on the chat platform; a pass that fails is the sender's to retry.
    // Tracked so that drain() waits for the announcement to be posted. The announcement is built
    // from the job as just stored, without reading it again while this posts it.
    this.justEnded.set(ended.id, ended);
    const posting: Promise<void> = this.sender.kick().finally(() => {
      this.announcing.delete(posting);
      if (this.justEnded.get(ended.id) === ended) this.justEnded.delete(ended.id);
    });
    this.announcing.add(posting);
    return ended;
  }

  /**
   * A staged comparison's next stage, dispatched: its runs are added to the job once (however
   * often this is asked), what the ended stage found is posted, and the job stays open. Runs a
   * stage added but never got onto the queue (a dispatch that failed) are dispatched again.
   */
  private async stageStep(job: ComparisonJobRecord): Promise<StageStep | 'continued'> {
    const stages = this.options.stages;
    const plan = job.plan as ComparisonPlan;
    if (!stages || !plan?.staging || !OPEN.includes(job.state)) return {};
    const request = job.request as ComparisonRequest;
    const open = job.runs.filter((r) => OPEN.includes(r.state));
    if (open.length) {
      // Another stage is under way; queued runs are put on the queue again (a no-op when they are).
      if (open.every((r) => r.state === 'queued' && !r.queueJobId))
        await this.dispatchStage(job, open, (open[0]?.ordinal ?? 1) - 1);
      return 'continued';
    }
    const rates = stepRatesFor(await recentMeasurements(this.jobs), job.teamId, request.model);
    const step = nextStage({ id: job.id, request, plan, runs: job.runs, rates });
    if (!step.next?.length) return step;
    const after = job.runs.length;
    const outcome: NoticeInput[] = step.outcome
      ? [
          {
            key: `stage:${job.id}:${after}`,
            jobId: job.id,
            conversationKey: job.conversationKey,
            kind: 'stage',
            payload: { reply: { text: `*Comparison ${job.id}*: ${step.outcome}` } },
          },
        ]
      : [];
    // The stage's runs and the notice of what the ended stage found: one transaction.
    const added = await this.jobs.addRuns(
      job.id,
      after,
      step.next.map(({ rank, ...run }) => ({ ...run, loraRank: rank ?? null })),
      outcome,
    );
    if (added.length) {
      if (step.outcome) this.kick();
      await this.dispatchStage(job, added, after);
    }
    return 'continued';
  }

  private async dispatchStage(job: ComparisonJobRecord, runs: ComparisonRunRecord[], stage: number) {
    const stages = this.options.stages;
    if (!stages) return;
    const request = job.request as ComparisonRequest;
    const datasets = await datasetPathsOf(stages.datasets, job.teamId, request);
    await stages.dispatcher.dispatch({
      comparisonId: job.id,
      teamKey: job.teamId,
      request,
      ...(request.task.kind === 'dataset' ? { datasetPaths: datasets.paths } : {}),
      runs: runs.map((run) => dispatchRun(run, job.runs)),
      stage,
    });
  }

  /** A finished sweep's chosen learning rates become the workspace's centre for this size bucket. */
  private async rememberLearningRates(job: ComparisonJobRecord): Promise<void> {
    const store = this.options.learningRates;
    if (!store) return;
    const model = (job.request as { model?: string }).model;
    if (!model) return;
    const bucket = store.bucketOf(model);
    try {
      for (const optimum of sweepOptima(job.plan as ComparisonPlan, job.runs))
        await store.repository.record({ teamId: job.teamId, bucket, model, jobId: job.id, ...optimum });
    } catch (e) {
      this.options.log?.(`could not record the learning rates of ${job.id}: ${(e as Error).message}`);
    }
  }

  private failureText(job: ComparisonJobRecord): string {
    return job.runs
      .filter((r) => r.state === 'failed')
      .map((r) => {
        const f = asFailure(r.error);
        return `${runLabel(r)}: ${f ? explainFailure(r.method, f) : 'failed'}`;
      })
      .join('\n');
  }

  /** Resolves once every announcement under way has been posted (or has failed and waits for a retry). */
  async drain(): Promise<void> {
    while (this.announcing.size) await Promise.allSettled([...this.announcing]);
    await this.sender.flush();
  }

  /**
   * Announces an ended job unless another caller already did: the claim and the announcement's
   * notices are written together, so only one process announces it and the outbox posts it
   * however often posting fails first.
   */
  async announceOnce(job: ComparisonJobRecord): Promise<boolean> {
    const { notices, subscribers } = this.announcementNotices({
      ...job,
      finishedAt: job.finishedAt ?? this.clock(),
    });
    if (!(await this.jobs.markAnnounced(job.id, notices, subscribers))) return false;
    await this.studyStep(job);
    await this.sender.flush();
    return true;
  }

  /**
   * The announcement of a job's study once every comparison of it has ended; `ending` counts a job
   * whose end is being written as ended. Its key names the study and its comparisons' last ending,
   * so every process that sees the study end writes the same notice (kept once), and a study whose
   * comparison is retried and ends again is announced again.
   */
  private async studyNotice(
    studyId: string,
    ending?: { jobId: string; finishedAt: Date },
  ): Promise<NoticeInput | undefined> {
    const study = await this.options.repositories.studies?.getById(studyId);
    if (!study) return undefined;
    const jobs = study.jobs.map((j) =>
      j.id === ending?.jobId ? { ...j, state: 'completed' as const, finishedAt: ending.finishedAt } : j,
    );
    if (!studyHasEnded({ ...study, jobs })) return undefined;
    const last = Math.max(...jobs.map((j) => j.finishedAt?.getTime() ?? 0));
    return {
      key: `study:${study.id}:${last}`,
      conversationKey: study.conversationKey,
      kind: 'announcement',
      payload: { render: 'study', studyId: study.id },
    };
  }

  /**
   * After a job's end is stored: its study's announcement, when the end completed the study. The
   * job's own transaction already wrote it unless another comparison of the study ended at the
   * same time (each then saw the other still open); the last to commit writes it here.
   */
  private async studyStep(job: Pick<ComparisonJobRecord, 'studyId'>): Promise<void> {
    if (!job.studyId) return;
    try {
      const notice = await this.studyNotice(job.studyId);
      if (notice && (await this.outbox.enqueue([notice]))) this.kick();
    } catch (e) {
      this.options.log?.(`could not announce study ${job.studyId}: ${(e as Error).message}`);
    }
  }

  /**
   * The notices that announce an ending: the announcement in its conversation, and a line in each
   * subscribed channel (those are written with the ending, from the subscriptions as stored then).
   */
  private announcementNotices(
    job: Pick<ComparisonJobRecord, 'id' | 'teamId' | 'conversationKey' | 'requesterId' | 'state'> & {
      finishedAt: Date;
    },
  ): { notices: NoticeInput[]; subscribers: SubscriberNotices } {
    const ending = job.finishedAt.getTime();
    const origin = parseConversationKey(job.conversationKey);
    return {
      notices: [
        {
          key: `announce:${job.id}:${ending}`,
          jobId: job.id,
          conversationKey: job.conversationKey,
          kind: 'announcement',
          payload: { render: 'announcement', jobId: job.id },
        },
      ],
      subscribers: {
        teamId: job.teamId,
        except: `${origin.platform}:${origin.workspace}:${origin.channel}:`,
        keyPrefix: `subscriber:${job.id}:${ending}:`,
        jobId: job.id,
        kind: 'subscriber',
        payload: {
          reply: {
            text: `Comparison ${job.id} (requested by ${job.requesterId}) ended: ${job.state}. /faceoff results ${job.id} for the table.`,
          },
        },
      },
    };
  }

  /** The replies a notice posts; the announcement is built from the job as stored when it is sent. */
  private async render(notice: NoticeRecord): Promise<Reply[]> {
    const payload = notice.payload;
    if ('reply' in payload) return [payload.reply as Reply];
    if (payload.render === 'study') {
      const study = await this.options.repositories.studies?.getById(payload.studyId);
      // A comparison retried since (the study ends, and is announced, again) or deleted: nothing to post.
      if (!study || !studyHasEnded(study)) return [];
      return studyResultsReply(study, this.options.charts);
    }
    const job = this.justEnded.get(payload.jobId) ?? (await this.jobs.getById(payload.jobId));
    // Retried since (it ends, and is announced, again) or deleted: nothing to post.
    if (!job || OPEN.includes(job.state)) return [];
    return this.announcementReplies(job);
  }

  private async announcementReplies(job: ComparisonJobRecord): Promise<Reply[]> {
    const replies: Reply[] = [];
    if (job.state === 'completed') {
      const [results, ...rest] = await resultsReply(job, this.options.charts);
      replies.push({
        ...(results ?? { text: '' }),
        text: `Comparison ${job.id} finished.\n${results?.text ?? ''}`,
      });
      replies.push(...rest);
    } else if (job.state === 'cancelled') {
      replies.push({ text: `Comparison ${job.id} was cancelled; no results.` });
    } else {
      const ok = job.runs.filter((r) => r.state === 'completed').map(runLabel);
      replies.push({
        text: `Comparison ${job.id} failed.\n${job.error ?? ''}\n${ok.length ? `Succeeded: ${ok.join(', ')}` : 'No run succeeded.'}\n/faceoff retry ${job.id} runs the failed ones again.`,
      });
    }
    return replies;
  }
}

/** A reply as the outbox stores it: plain data only. */
function stored(reply: Reply): StoredReply {
  const { images: _images, ...rest } = reply;
  return rest as StoredReply;
}

/** The results of a comparison's runs and their failures, by queue job id. */
export interface RunOutcomes {
  completed: Record<string, RunResult>;
  failed: Record<string, RunFailureInfo>;
}

/** What a run's queue job returns: its result, or that it stopped on a cancellation. */
export type RunResult = { status: 'completed' | 'cancelled'; summary?: unknown; outputDir?: string };

/** A run's result as the write that records it: the run's patch and its learning curves. */
function completion(result: RunResult, now: Date): { patch: RunPatch; points: MetricPoint[] } {
  if (result.status === 'cancelled') return { patch: { state: 'cancelled', finishedAt: now }, points: [] };
  const summary = result.summary as RunSummary | undefined;
  const last = summary?.train_curve.at(-1)?.step ?? 0;
  return {
    patch: {
      state: 'completed',
      finishedAt: now,
      summary: summary ?? null,
      artifactPath: result.outputDir ?? null,
      progress: { step: last, total: last, evalLoss: summary?.final_eval_loss },
    },
    points: summary
      ? [
          ...summary.train_curve.map((p) => ({ series: 'train_loss', step: p.step, value: p.loss })),
          ...summary.eval_curve.map((p) => ({ series: 'eval_loss', step: p.step, value: p.eval_loss })),
        ]
      : [],
  };
}
