/**
 * Slack acknowledgement latency: 200 signed `/faceoff tasks` commands sent at once (from a worker
 * thread, as Slack sends them from elsewhere) to the Faceoff Slack app (real Bolt app; after each
 * ack the engine runs on the embedded database and answers through the local Slack stand-in), next
 * to a bare Bolt app whose listener only acks, in the same run. Slack wants an ack within 3 seconds;
 * the ratio shows what the adapter's own work costs. Then the same with `/faceoff cost
 * preset=article`, whose reply carries a chart.js chart: drawn inline on the event loop, and on the
 * chart worker pool the app uses. Section `slack-2000`: the first measure with 2,000 commands at
 * once (one round; Slack's 3 s is the goal on 2 cores); `slack-pg`: both on PostgreSQL.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { App, LogLevel } from '@slack/bolt';
import type { InFlightOptions } from '../../bots/in-flight';
import { createPooledReplyCharts } from '../../src/charts/chart-pool';
import { createReplyCharts, type ReplyCharts } from '../../src/charts/reply-charts';
import { BOT_TOKEN, type FakeSlack } from '../bots/slack/support/fake-slack';
import { form, SIGNING_SECRET, type SlackPayloads, sign } from '../bots/slack/support/slack-requests';
import { startSlackStack } from '../bots/slack/support/slack-stack';
import { postgresBackend } from '../persistence/backends';
import { type BenchRow, ms, percentile, ratio } from './measure';

const BURST_WORKER = new URL('./burst-worker.mjs', import.meta.url);
const CONCURRENT = 200;
/**
 * Rounds per measure, the side that goes first alternating: a p99 from 1,200 acks per side, not the
 * 4th-slowest of 400 (whose ratio ranged from 0.94x to 1.56x between runs on a quiet machine).
 */
const ROUNDS = 6;

interface Burst {
  latencies: number[];
  wallMs: number;
}

/**
 * Sends `n` signed slash commands at once from a worker thread (the load does not share the app's
 * event loop); each latency is from its send to its HTTP answer (the ack).
 */
async function burst(url: string, payloads: SlackPayloads, n: number, text = 'tasks'): Promise<Burst> {
  const timestamp = Math.floor(Date.now() / 1000);
  const requests = Array.from({ length: n }, () => {
    const body = form(payloads.slashCommand(text));
    return {
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': sign(SIGNING_SECRET, timestamp, body),
      },
    };
  });
  const worker = new Worker(BURST_WORKER, { workerData: { url, requests } });
  try {
    return await new Promise<Burst>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the burst thread exited with ${code}`)));
    });
  } finally {
    await worker.terminate();
  }
}

async function bareBoltApp(fake: FakeSlack): Promise<{ url: string; stop: () => Promise<void> }> {
  const app = new App({
    signingSecret: SIGNING_SECRET,
    token: BOT_TOKEN,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  app.command(/^\/faceoff/, async ({ ack }) => {
    await ack();
  });
  const server = (await app.start(0)) as Server;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    stop: async () => {
      await app.stop();
    },
  };
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

const CHART_COMMAND = 'cost preset=article';

interface ChartRun {
  faceoff: number[];
  bare: number[];
  handledMs: number;
}

/** 200 chart-drawing commands at once, ROUNDS times, on a stack drawing charts with `charts`. */
async function chartBursts(charts: ReplyCharts): Promise<ChartRun> {
  const stack = await startSlackStack({ charts });
  const bare = await bareBoltApp(stack.fake);
  try {
    const faceoffUrl = `http://127.0.0.1:${stack.adapter.port}/slack/events`;
    await burst(bare.url, stack.payloads, 20);
    await burst(faceoffUrl, stack.payloads, 20, CHART_COMMAND);
    await stack.settle();
    const run: ChartRun = { faceoff: [], bare: [], handledMs: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const bareBurst = async () =>
        void run.bare.push(...(await burst(bare.url, stack.payloads, CONCURRENT)).latencies);
      if (round % 2 === 0) await bareBurst();
      const posted = stack.fake.callsTo('chat.postMessage').length;
      const start = performance.now();
      run.faceoff.push(...(await burst(faceoffUrl, stack.payloads, CONCURRENT, CHART_COMMAND)).latencies);
      await stack.settle();
      run.handledMs += performance.now() - start;
      const answered = stack.fake.callsTo('chat.postMessage').length - posted;
      if (answered !== CONCURRENT)
        throw new Error(`${answered} of ${CONCURRENT} cost commands were answered`);
      if (round % 2 === 1) await bareBurst();
    }
    return run;
  } finally {
    await bare.stop();
    await stack.close();
  }
}

/** Ack latency while every command's reply draws a chart: inline vs on the worker pool. */
async function benchSlackCharts(): Promise<BenchRow[]> {
  const inline = await chartBursts(createReplyCharts());
  const pool = createPooledReplyCharts();
  let pooled: ChartRun;
  try {
    pooled = await chartBursts(pool);
  } finally {
    await pool.close();
  }
  const label = `${CONCURRENT} concurrent signed /faceoff ${CHART_COMMAND} (each reply draws a chart), ${ROUNDS} rounds`;
  const rows: BenchRow[] = [];
  for (const [where, run] of [
    ['charts drawn inline on the event loop', inline],
    [`charts on the worker pool (${pool.threads} thread${pool.threads === 1 ? '' : 's'})`, pooled],
  ] as const) {
    const f = sorted(run.faceoff);
    const b = sorted(run.bare);
    for (const p of [50, 99]) {
      rows.push({
        section: 'slack',
        measure: `ack latency p${p}, ${label}, ${where}`,
        value: ms(percentile(f, p)),
        baseline: `bare Bolt ack-only app ${ms(percentile(b, p))}`,
        ratio: ratio(percentile(f, p), percentile(b, p)),
      });
    }
  }
  rows.push({
    section: 'slack',
    measure: `${CONCURRENT} cost commands fully handled (ack, engine, chart, chat.postMessage, upload), per round, worker pool`,
    value: ms(pooled.handledMs / ROUNDS),
    baseline: `charts drawn inline ${ms(inline.handledMs / ROUNDS)}`,
    ratio: ratio(pooled.handledMs, inline.handledMs),
  });
  return rows;
}

/**
 * The adapter starts the work after an ack once requests pause (InFlight); `at once` is the same
 * app starting it as soon as a slot is free, for the difference in the same run.
 */
const AT_ONCE = { quietMs: 0 };

export async function benchSlack(): Promise<BenchRow[]> {
  return [
    ...(await benchSlackCommands()),
    ...(await benchSlackCommands('slack', CONCURRENT, ROUNDS, undefined, AT_ONCE)),
    ...(await benchSlackCharts()),
  ];
}

/** 2,000 commands at once, one round (about a minute each way on 2 cores). */
export const benchSlack2000 = async () => [
  ...(await benchSlackCommands('slack-2000', 2000, 1)),
  ...(await benchSlackCommands('slack-2000', 2000, 1, undefined, AT_ONCE)),
];

/**
 * Section `slack-pg`: the same bursts with the app on PostgreSQL, as replicas behind a load
 * balancer run (the embedded database answers its queries on the event loop that acknowledges).
 */
export async function benchSlackPostgres(): Promise<BenchRow[]> {
  const server = await postgresBackend();
  if ('skip' in server) throw new Error(server.skip);
  try {
    return [
      ...(await benchSlackCommands('slack-pg', CONCURRENT, ROUNDS, server.backend.url)),
      ...(await benchSlackCommands('slack-pg', 2000, 1, server.backend.url)),
    ];
  } finally {
    await server.backend.cleanup();
  }
}

async function benchSlackCommands(
  section = 'slack',
  concurrent = CONCURRENT,
  rounds = ROUNDS,
  databaseUrl?: string,
  inFlight?: InFlightOptions,
): Promise<BenchRow[]> {
  const stack = await startSlackStack({
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(inFlight ? { inFlight } : {}),
  });
  const bare = await bareBoltApp(stack.fake);
  try {
    const faceoffUrl = `http://127.0.0.1:${stack.adapter.port}/slack/events`;
    await burst(bare.url, stack.payloads, 20);
    await burst(faceoffUrl, stack.payloads, 20);
    await stack.settle();
    const bareSamples: number[] = [];
    const faceoffSamples: number[] = [];
    let handledMs = 0;
    for (let round = 0; round < rounds; round++) {
      const bareBurst = async () =>
        void bareSamples.push(...(await burst(bare.url, stack.payloads, concurrent)).latencies);
      if (round % 2 === 0) await bareBurst();
      const posted = stack.fake.callsTo('chat.postMessage').length;
      const start = performance.now();
      faceoffSamples.push(...(await burst(faceoffUrl, stack.payloads, concurrent)).latencies);
      await stack.settle();
      handledMs += performance.now() - start;
      const answered = stack.fake.callsTo('chat.postMessage').length - posted;
      if (answered !== concurrent) throw new Error(`${answered} of ${concurrent} commands were answered`);
      if (round % 2 === 1) await bareBurst();
    }
    const f = sorted(faceoffSamples);
    const b = sorted(bareSamples);
    const [f50, f99, b50, b99] = [percentile(f, 50), percentile(f, 99), percentile(b, 50), percentile(b, 99)];
    const on = `${databaseUrl ? ', on PostgreSQL' : ''}${inFlight ? ', handling started at once (not after the burst)' : ''}`;
    const label = `${concurrent.toLocaleString('en')} concurrent signed /faceoff commands, ${rounds} round${rounds === 1 ? '' : 's'}${on}`;
    return [
      {
        section,
        measure: `ack latency p50, ${label}`,
        value: ms(f50),
        baseline: `bare Bolt ack-only app ${ms(b50)}`,
        ratio: ratio(f50, b50),
      },
      {
        section,
        measure: `ack latency p99, ${label}${concurrent > CONCURRENT ? ' (goal < 3 s)' : ''}`,
        value: ms(f99),
        baseline: `bare Bolt ack-only app ${ms(b99)}`,
        ratio: ratio(f99, b99),
      },
      {
        section,
        measure: `${concurrent.toLocaleString('en')} commands fully handled (ack, engine, chat.postMessage), per round${on}`,
        value: ms(handledMs / rounds),
        baseline: '-',
        ratio: '-',
      },
    ];
  } finally {
    await bare.stop();
    await stack.close();
  }
}
