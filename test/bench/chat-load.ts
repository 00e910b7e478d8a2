/**
 * Chat updates under load, within the platforms' limits: 1,000 comparisons at once, half in 25
 * Slack workspaces with 4 channels each, half in 25 Discord guilds with 4 channels each (one bot):
 * 200 conversations, 5 comparisons each. Each comparison's fake trainer reports every 200 ms for
 * 10 s; its progress is written to the outbox at most every 2 s (the tracker's throttle; 5 s by
 * default), replacing its pending progress notice, and then its final announcement (stored text:
 * no charts drawn). The real outbox (the tests' PostgreSQL when it answers, else embedded PGlite),
 * the real OutboxSender, the real Slack and Discord posters with their edit pacers, Bolt's
 * WebClients (with their rate pacing) and discord.js's REST client (with the global margin) post
 * them to local stand-ins (Slack's of the platform tests; for Discord a REST-only one serving DM
 * channels, so no gateway is needed, with the Discord stand-in's limits), which enforce the
 * platforms' published limits and answer 429 with Retry-After (Discord with its X-RateLimit-*
 * headers on every answer). The baseline is the same load with Faceoff's pacing off (no Slack rate
 * pacing, no edit pacing, no Discord global margin; discord.js still paces itself), the clients
 * left to handle 429s alone as they do by themselves.
 * Measured on 2 shared cores, where the 1,000 streams, the database client, the sender and both
 * stand-ins share one process, the sender's throughput (about 45 notices a second), not the
 * platforms' limits, bounded how often progress was edited: most comparisons' progress message was
 * posted once and edited rarely before its announcement.
 */
import { performance } from 'node:perf_hooks';
import { webApi } from '@slack/bolt';
import { Client } from 'discord.js';
import { ChannelPoster } from '../../bots/discord/channel-poster';
import { MessageKeys } from '../../bots/discord/message-keys';
import { DiscordRatePacer } from '../../bots/discord/rest-pacing';
import { EditPacer } from '../../bots/edit-pacer';
import { RoutingNotifier } from '../../bots/routing-notifier';
import { webClientOptions } from '../../bots/slack/bolt-app';
import { PostedMessages } from '../../bots/slack/post/posted-messages';
import { SlackPoster } from '../../bots/slack/post/poster';
import { SlackRatePacer } from '../../bots/slack/rate-pacing';
import { conversationKey, parseConversationKey } from '../../src/chat/conversation';
import type { Reply } from '../../src/chat/replies';
import { OutboxSender } from '../../src/comparison/outbox-sender';
import { createRepositories, openDatabase } from '../../src/persistence/index';
import { FakeSlack } from '../bots/slack/support/fake-slack';
import { testSlackConfig } from '../bots/slack/support/slack-test-config';
import { embeddedBackend, postgresBackend } from '../persistence/backends';
import { DiscordRestPeer } from './discord-rest-peer';
import { type BenchRow, percentile } from './measure';

const COMPARISONS = Number(process.env.CHAT_LOAD_COMPARISONS ?? 1000);
/** Slack: workspaces (one bot token each) × channels; Discord: one bot, guilds × channels. */
const WORKSPACES = 25;
const GUILDS = 25;
const CHANNELS = 4;
const TRAINER_EVERY_MS = 200;
const STREAM_MS = 10_000;
const WRITE_EVERY_MS = 2_000;
/** A run that has not drained by then is reported as it stands. */
const DRAIN_LIMIT_MS = Number(process.env.CHAT_LOAD_DRAIN_LIMIT_MS ?? 240_000);

let database = '';

interface PlatformResult {
  finalsExpected: number;
  finalsPosted: number;
  finalsTwice: number;
  overLimit: number;
  answered429: number;
  edits: number;
  progressPosts: number;
  maxEditsPerSecond: number;
  p50EditsPerSecond: number;
}

interface LoadResult {
  slack: PlatformResult;
  discord: PlatformResult;
  superseded: number;
  drainMs: number;
  drained: boolean;
  leftPending: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fresh database: the PostgreSQL server of the tests when it answers, else embedded PGlite. */
async function freshStore() {
  const found = await postgresBackend();
  const backend = 'backend' in found ? found.backend : await embeddedBackend();
  const db = await openDatabase({ url: backend.url });
  return {
    name: backend.name,
    repos: createRepositories(db.prisma),
    close: async () => {
      await db.close();
      await backend.cleanup();
    },
  };
}

const FINAL = / finished: LoRA wins \(final\)$/;

/** Edits per conversation per second of the run, over the seconds a conversation had any. */
function perSecond(edits: { conversation: string; at: number }[]): { max: number; p50: number } {
  const counts = new Map<string, number>();
  for (const e of edits) {
    const key = `${e.conversation}|${Math.floor(e.at / 1000)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const sorted = [...counts.values()].sort((a, b) => a - b);
  return { max: sorted.at(-1) ?? 0, p50: sorted.length ? percentile(sorted, 50) : 0 };
}

function platformResult(
  expected: number,
  posts: { text: string }[],
  edits: { conversation: string; at: number }[],
  overLimit: number,
  answered429: number,
): PlatformResult {
  const finals = posts.filter((p) => FINAL.test(p.text));
  const distinct = new Set(finals.map((f) => f.text)).size;
  const rate = perSecond(edits);
  return {
    finalsExpected: expected,
    finalsPosted: distinct,
    finalsTwice: finals.length - distinct,
    overLimit,
    answered429,
    edits: edits.length,
    progressPosts: posts.length - finals.length,
    maxEditsPerSecond: rate.max,
    p50EditsPerSecond: rate.p50,
  };
}

async function runLoad(paced: boolean): Promise<LoadResult> {
  const slackPeer = await FakeSlack.start();
  slackPeer.enforceLimits();
  const discordPeer = await DiscordRestPeer.start();
  const store = await freshStore();
  database = store.name;
  const logs: string[] = [];
  const notifier = new RoutingNotifier();
  const editPacers = [new EditPacer(paced ? 1000 : 0), new EditPacer(paced ? 1000 : 0)] as const;

  // Slack: the real poster and a Bolt WebClient per workspace, with the adapter's options.
  const slackPacer = new SlackRatePacer(paced ? {} : { limits: {} });
  const clients = new Map<string, webApi.WebClient>();
  const config = testSlackConfig(slackPeer, { pacing: true });
  for (let w = 0; w < WORKSPACES; w++)
    clients.set(
      `T${w}`,
      new webApi.WebClient(`xoxb-load-${w}`, webClientOptions(config, 2, undefined, slackPacer)),
    );
  const slackPoster = new SlackPoster(
    new PostedMessages(store.repos.postedMessages),
    (m) => logs.push(m),
    editPacers[0],
  );
  notifier.register('slack', async (key, reply) => {
    const conversation = parseConversationKey(key);
    const client = clients.get(conversation.workspace);
    if (!client) throw new Error(`no client for ${conversation.workspace}`);
    await slackPoster.deliver({ client, conversation }, [reply]);
  });

  // Discord: the real channel poster and a discord.js client (REST only; it paces by the headers).
  const discord = new Client({
    intents: [],
    rest: {
      api: discordPeer.apiUrl,
      ...(paced ? { makeRequest: new DiscordRatePacer().makeRequest() } : {}),
    },
  });
  discord.rest.setToken('discord-load-bot');
  const discordPoster = new ChannelPoster(
    discord,
    new MessageKeys(store.repos.postedMessages),
    (m) => logs.push(m),
    undefined,
    editPacers[1],
  );
  notifier.register('discord', (key, reply) => discordPoster.deliver(parseConversationKey(key), [reply]));

  const sender = new OutboxSender({
    outbox: store.repos.outbox,
    notifier,
    render: async (n) => ['reply' in n.payload ? (n.payload.reply as Reply) : { text: '?' }],
    log: (m) => logs.push(m),
    pollMs: 250,
  });
  const tag = paced ? 'p' : 'b';
  // Slack and Discord conversations alternate, so any number of comparisons splits evenly.
  const conversations = Array.from({ length: WORKSPACES * CHANNELS }, (_, i) => [
    conversationKey({
      platform: 'slack',
      workspace: `T${i % WORKSPACES}`,
      channel: `C${Math.floor(i / WORKSPACES)}`,
    }),
    conversationKey({ platform: 'discord', workspace: `${900 + (i % GUILDS)}`, channel: `${5000 + i}` }),
  ]).flat();
  const start = Date.now();
  sender.start();
  let lastFinalWritten = 0;
  const comparison = async (i: number) => {
    const job = `${tag}${i}`;
    const conversationKey = conversations[i % conversations.length] as string;
    await sleep((i * 2000) / COMPARISONS);
    const began = performance.now();
    let written = -Infinity;
    for (let step = 1; performance.now() - began < STREAM_MS; step++) {
      if (performance.now() - written >= WRITE_EVERY_MS) {
        written = performance.now();
        const text = `*Comparison ${job}*: step ${step * 10} of 500`;
        await store.repos.outbox.replace(
          {
            key: `progress:${job}`,
            conversationKey,
            kind: 'progress',
            payload: { reply: { text, key: `progress:${job}`, replaceKey: `progress:${job}` } },
          },
          new Date(),
        );
      }
      await sleep(TRAINER_EVERY_MS);
    }
    await store.repos.outbox.enqueue([
      {
        key: `announcement:${job}`,
        conversationKey,
        kind: 'announcement',
        payload: { reply: { text: `Comparison ${job} finished: LoRA wins (final)` } },
      },
    ]);
    lastFinalWritten = performance.now();
    void sender.kick();
  };
  await Promise.all(Array.from({ length: COMPARISONS }, (_, i) => comparison(i)));
  const slackPosts = () => slackPeer.callsTo('chat.postMessage').map((c) => ({ text: String(c.args.text) }));
  const discordPosts = () =>
    discordPeer.calls.filter((c) => c.method === 'create').map((c) => ({ text: c.content }));
  const finalsPosted = () => [...slackPosts(), ...discordPosts()].filter((p) => FINAL.test(p.text)).length;
  while (finalsPosted() < COMPARISONS && performance.now() - lastFinalWritten < DRAIN_LIMIT_MS)
    await sleep(100);
  const drained = finalsPosted() >= COMPARISONS;
  const drainMs = performance.now() - lastFinalWritten;
  sender.stop();
  const expectedSlack = Array.from(
    { length: COMPARISONS },
    (_, i) => conversations[i % conversations.length],
  ).filter((c) => c?.startsWith('slack:')).length;
  const result: LoadResult = {
    slack: platformResult(
      expectedSlack,
      slackPosts(),
      slackPeer
        .callsTo('chat.update')
        .map((c) => ({ conversation: `${c.token}|${c.args.channel}`, at: c.at ?? start })),
      slackPeer.overLimit,
      slackPeer.rateLimited.length,
    ),
    discord: platformResult(
      COMPARISONS - expectedSlack,
      discordPosts(),
      discordPeer.calls
        .filter((c) => c.method === 'edit')
        .map((c) => ({ conversation: c.channel, at: c.at })),
      discordPeer.limits.overLimit,
      discordPeer.answered429,
    ),
    superseded: editPacers[0].superseded + editPacers[1].superseded,
    drainMs,
    drained,
    leftPending: await store.repos.outbox.pending(),
  };
  console.error(
    `chat-load ${paced ? 'faceoff' : 'baseline'}: ${JSON.stringify(result)}; ${Date.now() - start} ms in all`,
  );
  for (const line of logs.slice(0, 5)) console.error(`  ${line}`);
  await discord.destroy();
  await slackPeer.close();
  await discordPeer.close();
  await sleep(100);
  await store.close();
  return result;
}

export async function benchChatLoad(): Promise<BenchRow[]> {
  const faceoff = await runLoad(true);
  const bare = await runLoad(false);
  const row = (measure: string, value: string, baseline: string): BenchRow => ({
    section: 'chat-load',
    measure,
    value,
    baseline,
    ratio: '-',
  });
  const both = (r: LoadResult, f: (p: PlatformResult) => string) =>
    `Slack ${f(r.slack)}; Discord ${f(r.discord)}`;
  const finals = (p: PlatformResult) =>
    `${p.finalsPosted} of ${p.finalsExpected}${p.finalsTwice ? ` (${p.finalsTwice} twice)` : ''}`;
  const seconds = (r: LoadResult) =>
    r.drained ? `${(r.drainMs / 1000).toFixed(1)} s` : `not drained in ${Math.round(r.drainMs / 1000)} s`;
  return [
    row(
      `${COMPARISONS} comparisons (Slack: ${WORKSPACES} workspaces × ${CHANNELS} channels; Discord: ${GUILDS} guilds × ${CHANNELS} channels; outbox on ${database}): final notices posted`,
      both(faceoff, finals),
      both(bare, finals),
    ),
    row(
      'requests that arrived over the limits',
      both(faceoff, (p) => `${p.overLimit}`),
      both(bare, (p) => `${p.overLimit}`),
    ),
    row(
      '429s answered',
      both(faceoff, (p) => `${p.answered429}`),
      both(bare, (p) => `${p.answered429}`),
    ),
    row(
      'progress messages posted / edits posted',
      both(faceoff, (p) => `${p.progressPosts} / ${p.edits}`),
      both(bare, (p) => `${p.progressPosts} / ${p.edits}`),
    ),
    row(
      'edits per conversation per second: max / p50',
      both(faceoff, (p) => `${p.maxEditsPerSecond} / ${p.p50EditsPerSecond}`),
      both(bare, (p) => `${p.maxEditsPerSecond} / ${p.p50EditsPerSecond}`),
    ),
    row('edits skipped (a newer edit of the message waited)', `${faceoff.superseded}`, `${bare.superseded}`),
    row(
      'progress notices still pending when the last final was posted',
      `${faceoff.leftPending}`,
      `${bare.leftPending}`,
    ),
    row('time to drain after the last final notice was written', seconds(faceoff), seconds(bare)),
  ];
}
