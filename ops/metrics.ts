/**
 * Every Prometheus metric Faceoff exposes, on one registry per process. Names start with `faceoff_`;
 * each series carries a `process` label (bot, worker, console). Queue depth is read from Redis when
 * Prometheus scrapes; everything else is recorded as it happens, through the ports the core, the
 * job system and the chat adapters define (RunMetrics, WorkerMetrics, ChatMetrics).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AckKind, ChatCallOutcome, ChatMetrics, ChatPlatform } from '../bots/chat-metrics';
import type { QueueDepthSource, TrainerFailureLabel, WorkerMetrics } from '../jobs/job-metrics';
import type { RunMetrics, RunTransition } from '../src/comparison/run-metrics';
import type { ProcessRole } from './logger';

export interface MetricsOptions {
  process: ProcessRole;
  /** Node.js process metrics (CPU, memory, event loop lag, GC); default true. */
  defaultMetrics?: boolean;
}

const SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200];
const RUN_SECONDS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14_400, 28_800, 86_400];
const ACK_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];

export class FaceoffMetrics implements RunMetrics, WorkerMetrics, ChatMetrics {
  readonly registry = new Registry();
  private readonly queueSources = new Set<QueueDepthSource>();
  private readonly queueWaitSeconds: Histogram<'queue'>;
  private readonly runs: Counter<'state' | 'method'>;
  private readonly runSeconds: Histogram<'method' | 'outcome'>;
  private readonly trainerFailures: Counter<'kind'>;
  private readonly chatCalls: Counter<'platform' | 'method' | 'outcome'>;
  private readonly chatRateLimited: Counter<'platform' | 'method'>;
  private readonly ackSeconds: Histogram<'platform' | 'kind'>;

  constructor(options: MetricsOptions) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ process: options.process });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    const sources = this.queueSources;
    // Counted rather than failing the scrape: the other metrics stay readable while Redis is away.
    const readErrors = new Counter({
      name: 'faceoff_queue_read_errors_total',
      help: 'Scrapes that could not read the queue depth from Redis',
      registers,
    });
    new Gauge({
      name: 'faceoff_queue_jobs',
      help: 'Jobs in each queue by state, read from Redis at scrape time',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const source of sources) {
          try {
            for (const { queue, state, count } of await source.depths()) this.set({ queue, state }, count);
          } catch {
            readErrors.inc();
          }
        }
      },
    });
    this.queueWaitSeconds = new Histogram({
      name: 'faceoff_queue_wait_seconds',
      help: 'Time from a run being enqueued to a worker starting it',
      labelNames: ['queue'],
      buckets: SECONDS,
      registers,
    });
    this.runs = new Counter({
      name: 'faceoff_runs_total',
      help: 'Training run state changes (started, completed, failed, cancelled, retried) by method',
      labelNames: ['state', 'method'],
      registers,
    });
    this.runSeconds = new Histogram({
      name: 'faceoff_run_duration_seconds',
      help: 'Time from a run starting to it completing or failing, by method',
      labelNames: ['method', 'outcome'],
      buckets: RUN_SECONDS,
      registers,
    });
    this.trainerFailures = new Counter({
      name: 'faceoff_trainer_failures_total',
      help: 'Run attempts that ended without a result, by kind (oom, crash, bad_config, lost_worker, ...)',
      labelNames: ['kind'],
      registers,
    });
    this.chatCalls = new Counter({
      name: 'faceoff_chat_api_calls_total',
      help: 'HTTP requests to the chat platforms by platform, API method and outcome',
      labelNames: ['platform', 'method', 'outcome'],
      registers,
    });
    this.chatRateLimited = new Counter({
      name: 'faceoff_chat_api_rate_limited_total',
      help: 'HTTP 429 answers from the chat platforms by platform and API method',
      labelNames: ['platform', 'method'],
      registers,
    });
    this.ackSeconds = new Histogram({
      name: 'faceoff_chat_ack_seconds',
      help: "Time from a command or interaction reaching Faceoff's handler to its acknowledgement",
      labelNames: ['platform', 'kind'],
      buckets: ACK_SECONDS,
      registers,
    });
  }

  /** Reads queue depth from `source` at every scrape; returns how to stop. */
  watchQueues(source: QueueDepthSource): () => void {
    this.queueSources.add(source);
    return () => this.queueSources.delete(source);
  }

  queueWait(queue: string, seconds: number): void {
    this.queueWaitSeconds.observe({ queue }, seconds);
  }

  runTransition(transition: RunTransition, method: string): void {
    this.runs.inc({ state: transition, method });
  }

  runDuration(method: string, outcome: 'completed' | 'failed', seconds: number): void {
    this.runSeconds.observe({ method, outcome }, seconds);
  }

  trainerFailure(kind: TrainerFailureLabel): void {
    this.trainerFailures.inc({ kind });
  }

  chatCall(platform: ChatPlatform, method: string, outcome: ChatCallOutcome): void {
    this.chatCalls.inc({ platform, method, outcome });
    if (outcome === 'rate_limited') this.chatRateLimited.inc({ platform, method });
  }

  acknowledged(platform: ChatPlatform, kind: AckKind, seconds: number): void {
    this.ackSeconds.observe({ platform, kind }, seconds);
  }

  /** The text exposition format Prometheus scrapes. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
