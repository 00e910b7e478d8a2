/**
 * Slack acknowledgement latency: 200 signed `/faceoff tasks` commands sent at once to the Faceoff
 * Slack app (real Bolt app; after each ack the engine runs on the embedded database and answers
 * through the local Slack stand-in), next to a bare Bolt app whose listener only acks, in the same
 * run. Slack wants an ack within 3 seconds; the ratio shows what the adapter's own work costs.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { App, LogLevel } from '@slack/bolt';
import { BOT_TOKEN, type FakeSlack } from '../bots/slack/support/fake-slack';
import { form, SIGNING_SECRET, type SlackPayloads, signedPost } from '../bots/slack/support/slack-requests';
import { startSlackStack } from '../bots/slack/support/slack-stack';
import { type BenchRow, ms, percentile, ratio } from './measure';

const CONCURRENT = 200;
const ROUNDS = 2;

interface Burst {
  latencies: number[];
  wallMs: number;
}

/** Sends `n` signed slash commands at once; each latency is from its send to its HTTP answer (the ack). */
async function burst(url: string, payloads: SlackPayloads, n: number): Promise<Burst> {
  const bodies = Array.from({ length: n }, () => form(payloads.slashCommand('tasks')));
  const start = performance.now();
  const latencies = await Promise.all(
    bodies.map(async (body) => {
      const sent = performance.now();
      const answer = await signedPost(url, body, 'application/x-www-form-urlencoded');
      if (answer.status !== 200) throw new Error(`ack answered ${answer.status}`);
      return performance.now() - sent;
    }),
  );
  return { latencies, wallMs: performance.now() - start };
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

export async function benchSlack(): Promise<BenchRow[]> {
  const stack = await startSlackStack();
  const bare = await bareBoltApp(stack.fake);
  try {
    const faceoffUrl = `http://127.0.0.1:${stack.adapter.port}/slack/events`;
    await burst(bare.url, stack.payloads, 20);
    await burst(faceoffUrl, stack.payloads, 20);
    await stack.settle();
    const bareSamples: number[] = [];
    const faceoffSamples: number[] = [];
    let handledMs = 0;
    for (let round = 0; round < ROUNDS; round++) {
      bareSamples.push(...(await burst(bare.url, stack.payloads, CONCURRENT)).latencies);
      const posted = stack.fake.callsTo('chat.postMessage').length;
      const start = performance.now();
      faceoffSamples.push(...(await burst(faceoffUrl, stack.payloads, CONCURRENT)).latencies);
      await stack.settle();
      handledMs += performance.now() - start;
      const answered = stack.fake.callsTo('chat.postMessage').length - posted;
      if (answered !== CONCURRENT) throw new Error(`${answered} of ${CONCURRENT} commands were answered`);
    }
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const f = sorted(faceoffSamples);
    const b = sorted(bareSamples);
    const [f50, f99, b50, b99] = [percentile(f, 50), percentile(f, 99), percentile(b, 50), percentile(b, 99)];
    const label = `${CONCURRENT} concurrent signed /faceoff commands, ${ROUNDS} rounds`;
    return [
      {
        section: 'slack',
        measure: `ack latency p50, ${label}`,
        value: ms(f50),
        baseline: `bare Bolt ack-only app ${ms(b50)}`,
        ratio: ratio(f50, b50),
      },
      {
        section: 'slack',
        measure: `ack latency p99, ${label}`,
        value: ms(f99),
        baseline: `bare Bolt ack-only app ${ms(b99)}`,
        ratio: ratio(f99, b99),
      },
      {
        section: 'slack',
        measure: `${CONCURRENT} commands fully handled (ack, engine, chat.postMessage), per round`,
        value: ms(handledMs / ROUNDS),
        baseline: '-',
        ratio: '-',
      },
    ];
  } finally {
    await bare.stop();
    await stack.close();
  }
}
