/**
 * Discord: how long an interaction waits for its deferral (Discord allows 3 s) and for its answer,
 * with 200 interactions arriving at once over the gateway, through the real discord.js client and a
 * local Discord. Faceoff (adapter + engine on the embedded database) next to a bare discord.js
 * handler that only defers and answers, in the same run. Section `discord-2000`: the same with
 * 2,000 interactions at once; `discord-pg`: 200 on PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type ChatInputCommandInteraction, Events } from 'discord.js';
import { createDiscordClient } from '../../bots/discord/client';
import type { DiscordConfig } from '../../bots/discord/config';
import { startDiscord } from '../../bots/discord/runner';
import { RoutingNotifier } from '../../bots/routing-notifier';
import { ConversationEngine } from '../../src/conversation/engine';
import { createRepositories, openDatabase } from '../../src/persistence/index';
import { FakeDiscord } from '../bots/discord/fake-discord';
import { IDS, type Person, slashCommand } from '../bots/discord/payloads';
import { postgresBackend } from '../persistence/backends';
import { type BenchRow, ms, percentile, ratio } from './measure';

const CONCURRENT = 200;
const WARMUP = 20;
const PEOPLE: Person[] = ['alice', 'bob', 'carol'];
/** What the 200 interactions ask: a table, the cost model, the private help. */
const SUBCOMMANDS = ['tasks', 'cost', 'help'];

interface Latencies {
  deferred: number[];
  answered: number[];
}

/** Fires `count` interactions in one burst; per interaction, ms from dispatch to its deferral and to its answer. */
async function burst(fake: FakeDiscord, count: number): Promise<Latencies> {
  const sent = new Map<string, number>();
  const from = fake.calls.length;
  for (let i = 0; i < count; i++) {
    const payload = slashCommand(
      SUBCOMMANDS[i % SUBCOMMANDS.length] ?? 'tasks',
      [],
      PEOPLE[i % PEOPLE.length],
    );
    sent.set(payload.token as string, performance.now());
    fake.interact(payload);
  }
  const tokenOf = (path: string) => path.split('/')[3] ?? '';
  const done = (path: string, method: string) =>
    (method === 'PATCH' && path.endsWith('/messages/@original')) ||
    (method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(path));
  await fake.waitForCall(
    () => fake.calls.slice(from).filter((c) => done(c.path, c.method)).length >= count,
    from,
    120_000,
  );
  const deferred: number[] = [];
  const answered: number[] = [];
  for (const call of fake.calls.slice(from)) {
    if (call.path.startsWith('/interactions/'))
      deferred.push(call.at - (sent.get(tokenOf(call.path)) ?? call.at));
    if (call.path.startsWith('/webhooks/') && done(call.path, call.method)) {
      answered.push(call.at - (sent.get(call.path.split('/')[3] ?? '') ?? call.at));
    }
  }
  return { deferred: deferred.sort((a, b) => a - b), answered: answered.sort((a, b) => a - b) };
}

const config = (fake: FakeDiscord): DiscordConfig => ({
  token: 'bench.token',
  applicationId: IDS.bot,
  apiUrl: fake.apiUrl,
  dispatchRoleIds: [],
});

async function bare(count: number): Promise<Latencies> {
  const fake = await FakeDiscord.start();
  const client = createDiscordClient(config(fake), { restRetries: 0 });
  client.on(Events.InteractionCreate, (interaction) => {
    if (!interaction.isChatInputCommand()) return;
    const command = interaction as ChatInputCommandInteraction;
    void command.deferReply().then(() => command.editReply({ content: 'ok' }));
  });
  try {
    const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
    await client.login('bench.token');
    await ready;
    await burst(fake, WARMUP);
    return await burst(fake, count);
  } finally {
    await client.destroy();
    await fake.close();
  }
}

async function faceoff(count: number, databaseUrl?: string): Promise<Latencies> {
  const fake = await FakeDiscord.start();
  const dir = mkdtempSync(join(tmpdir(), 'faceoff-bench-discord-'));
  const db = await openDatabase({ url: databaseUrl ?? `file:${dir}` });
  const repositories = createRepositories(db.prisma);
  const engine = new ConversationEngine({
    sessions: repositories.sessions,
    decisions: repositories.decisions,
    teams: repositories.teams,
    sessionTtlMs: 3_600_000,
  });
  const discord = await startDiscord(
    { engine, repositories, notifier: new RoutingNotifier() },
    config(fake),
    {
      restRetries: 0,
      log: () => {},
    },
  );
  try {
    await burst(fake, WARMUP);
    return await burst(fake, count);
  } finally {
    await discord.stop();
    await db.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const p50p99 = (values: number[]) => `${ms(percentile(values, 50))} / ${ms(percentile(values, 99))}`;

/** 2,000 interactions at once (about two minutes on 2 cores). */
export const benchDiscord2000 = () => benchDiscord('discord-2000', 2000);

/**
 * Section `discord-pg`: 200 interactions with the engine on PostgreSQL (the embedded database
 * answers its queries on the event loop that defers and answers).
 */
export async function benchDiscordPostgres(): Promise<BenchRow[]> {
  const server = await postgresBackend();
  if ('skip' in server) throw new Error(server.skip);
  try {
    return await benchDiscord('discord-pg', CONCURRENT, server.backend.url);
  } finally {
    await server.backend.cleanup();
  }
}

export async function benchDiscord(
  section = 'discord',
  count = CONCURRENT,
  databaseUrl?: string,
): Promise<BenchRow[]> {
  const baseline = await bare(count);
  const ours = await faceoff(count, databaseUrl);
  const at = `${count.toLocaleString('en')} at once${databaseUrl ? ', on PostgreSQL' : ''}`;
  return [
    {
      section,
      measure: `interaction -> deferred reply, ${at} (p50 / p99; Discord allows 3 s)`,
      value: p50p99(ours.deferred),
      baseline: `bare discord.js deferReply ${p50p99(baseline.deferred)}`,
      ratio: ratio(percentile(ours.deferred, 50), percentile(baseline.deferred, 50)),
    },
    {
      section,
      measure: `interaction -> answer posted (tasks, cost, help), ${at} (p50 / p99)`,
      value: p50p99(ours.answered),
      baseline: `bare defer + editReply ${p50p99(baseline.answered)}`,
      ratio: ratio(percentile(ours.answered, 50), percentile(baseline.answered, 50)),
    },
  ];
}
