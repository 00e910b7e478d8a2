/**
 * What the operations views cost: the job hot path with metrics recorded and without, one recording
 * call next to a bare counter, a scrape of /metrics (queue depth read from Redis) next to the Redis
 * reads alone, and one log line through the redacting logger next to plain pino.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { QueueInspection } from '../../jobs/queue-inspection';
import { redisConnectionOptions } from '../../jobs/redis-connection';
import { componentLog, createLogger } from '../../ops/logger';
import { FaceoffMetrics } from '../../ops/metrics';
import { startMetricsServer } from '../../ops/metrics-server';
import { deleteRedisKeys } from '../support/test-services';
import { faceoff, stats } from './jobs';
import { type BenchRow, ms, ratio, timeCalls } from './measure';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RECORDINGS = 200_000;
const LOG_LINES = 20_000;

/** Nanoseconds per call of `call`, over `n` calls after a warm-up. */
function perCallNs(n: number, call: (i: number) => void): number {
  for (let i = 0; i < 10_000; i++) call(i);
  const start = performance.now();
  for (let i = 0; i < n; i++) call(i);
  return ((performance.now() - start) * 1e6) / n;
}

const ns = (v: number) => `${v.toFixed(0)} ns`;

async function hotPath(): Promise<BenchRow> {
  // The fake trainer reads its behaviour from the environment it is given.
  process.env.FACEOFF_TRAINER_ENV ??= 'FAKE_TRAINER_BEHAVIOUR,FAKE_TRAINER_STEP_MS';
  const off = `faceoff-bench-${randomBytes(4).toString('hex')}`;
  const on = `faceoff-bench-${randomBytes(4).toString('hex')}`;
  try {
    const without = stats((await faceoff(off)).startLatency);
    const metrics = new FaceoffMetrics({ process: 'bot' });
    const withMetrics = stats((await faceoff(on, metrics)).startLatency);
    return {
      section: 'ops',
      measure: `enqueue -> trainer's first event seen by the control plane, metrics recorded (p50 / p99, n=15)`,
      value: `${ms(withMetrics.p50)} / ${ms(withMetrics.p99)}`,
      baseline: `same, no metrics ${ms(without.p50)} / ${ms(without.p99)}`,
      ratio: ratio(withMetrics.p50, without.p50),
    };
  } finally {
    await deleteRedisKeys(off);
    await deleteRedisKeys(on);
  }
}

function recording(): BenchRow {
  const metrics = new FaceoffMetrics({ process: 'bot', defaultMetrics: false });
  const methods = ['lora', 'full'];
  const recorded = perCallNs(RECORDINGS, (i) => {
    const method = methods[i & 1] ?? 'lora';
    metrics.runTransition('completed', method);
    metrics.runDuration(method, 'completed', i % 600);
    metrics.chatCall('slack', 'chat.postMessage', 'ok');
  });
  const counts = new Map<string, number>();
  const bare = perCallNs(RECORDINGS, (i) => {
    for (const key of [`completed:${methods[i & 1]}`, `duration:${methods[i & 1]}`, 'slack:chat.postMessage'])
      counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  return {
    section: 'ops',
    measure: `a run ending and a chat call recorded: 2 labelled counters + 1 histogram (per event, n=${RECORDINGS})`,
    value: ns(recorded),
    baseline: `3 Map increments ${ns(bare)}`,
    ratio: ratio(recorded, bare),
  };
}

async function scrape(): Promise<BenchRow> {
  const prefix = `faceoff-bench-${randomBytes(4).toString('hex')}`;
  const inspection = new QueueInspection(redisConnectionOptions(REDIS_URL), prefix);
  const metrics = new FaceoffMetrics({ process: 'bot' });
  metrics.watchQueues(inspection);
  const server = await startMetricsServer(metrics, { port: 0, host: '127.0.0.1' });
  try {
    const full = await timeCalls('scrape', 100, async () => (await fetch(server.url)).text());
    const reads = await timeCalls('reads', 100, () => inspection.depths());
    return {
      section: 'ops',
      measure:
        'GET /metrics: process metrics + queue depth of both queues read from Redis (p50 / p99, n=100)',
      value: `${ms(full.p50)} / ${ms(full.p99)}`,
      baseline: `getJobCounts of both queues alone ${ms(reads.p50)} / ${ms(reads.p99)}`,
      ratio: ratio(full.p50, reads.p50),
    };
  } finally {
    await server.close();
    await inspection.close();
    await deleteRedisKeys(prefix);
  }
}

function logLine(): BenchRow {
  const sink = { write: () => {} };
  const env = {
    REDIS_URL: 'redis://:bench-password-123@cache:6379',
    SLACK_BOT_TOKEN: 'xoxb-bench-token-000',
  };
  const log = componentLog(createLogger({ process: 'worker', env, destination: sink }), 'worker');
  const plain = pino({ base: { process: 'worker' } }, sink).child({ component: 'worker' });
  const message = (i: number) =>
    `run r${i} (job j${i}, attempt 1): starting (GPU 0) -> /data/artifacts/c/r${i}`;
  const redacting = perCallNs(LOG_LINES, (i) => log(message(i)));
  const bare = perCallNs(LOG_LINES, (i) => plain.info(message(i)));
  return {
    section: 'ops',
    measure: `one log line through the component log with secret redaction (per line, n=${LOG_LINES})`,
    value: ns(redacting),
    baseline: `plain pino child.info ${ns(bare)}`,
    ratio: ratio(redacting, bare),
  };
}

export async function benchOperations(): Promise<BenchRow[]> {
  return [await hotPath(), recording(), await scrape(), logLine()];
}
