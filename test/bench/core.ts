import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingEvent } from '../../src/chat/incoming';
import { ConversationEngine } from '../../src/conversation/engine';
import { inputFromText, step } from '../../src/decision/questionnaire';
import { createRepositories, openDatabase } from '../../src/persistence/index';
import { type BenchRow, ms, ratio, timeCalls } from './measure';

const ANSWERS = ['about $5k', '2 weeks', 'yes', 'nope', 'yes', 'weekly', 'customer support', 'just me', '7B'];

/** Router + reducer latency per event: pure reducer, router, and the engine on the embedded database. */
export async function benchCore(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const now = new Date();
  const bare = await timeCalls('bare call', 2000, () => JSON.parse('{"a":1}'));
  const reducer = await timeCalls('reducer', 2000, (i) => {
    let out = step(null, { kind: 'start' }, now);
    out = step(out.state, inputFromText(ANSWERS[i % ANSWERS.length] ?? 'yes'), now);
    return out;
  });
  rows.push({
    section: 'core',
    measure: 'questionnaire reducer, start + one answer (p50 / p99)',
    value: `${ms(reducer.p50)} / ${ms(reducer.p99)}`,
    baseline: `JSON.parse ${ms(bare.p50)}`,
    ratio: ratio(reducer.p50, bare.p50),
  });

  const dir = mkdtempSync(join(tmpdir(), 'faceoff-bench-'));
  const db = await openDatabase({ url: `file:${dir}` });
  try {
    const repos = createRepositories(db.prisma);
    const engine = new ConversationEngine({
      sessions: repos.sessions,
      decisions: repos.decisions,
      teams: repos.teams,
      sessionTtlMs: 3_600_000,
    });
    const event = (text: string, user: string): IncomingEvent => ({
      kind: text.startsWith('/faceoff') ? 'command' : 'message',
      text,
      conversation: { platform: 'console', workspace: 'bench', channel: 'c' },
      user: { id: user },
    });
    const query = await timeCalls('select 1', 300, () => db.prisma.$queryRawUnsafe('SELECT 1'));
    const router = await timeCalls('router', 300, () => engine.handle(event('/faceoff tasks', 'u0')));
    let user = 0;
    let index = 0;
    const answer = await timeCalls('engine answer', 300, async () => {
      if (index === 0) {
        user += 1;
        await engine.handle(event('/faceoff decide', `u${user}`));
      }
      await engine.handle(event(ANSWERS[index] ?? 'yes', `u${user}`));
      index = (index + 1) % ANSWERS.length;
    });
    rows.push({
      section: 'core',
      measure: 'router, /faceoff tasks through the engine (p50 / p99)',
      value: `${ms(router.p50)} / ${ms(router.p99)}`,
      baseline: `PGlite SELECT 1 ${ms(query.p50)}`,
      ratio: ratio(router.p50, query.p50),
    });
    rows.push({
      section: 'core',
      measure: 'questionnaire answer: load + reduce + save, embedded DB (p50 / p99)',
      value: `${ms(answer.p50)} / ${ms(answer.p99)}`,
      baseline: `PGlite SELECT 1 ${ms(query.p50)}`,
      ratio: ratio(answer.p50, query.p50),
    });
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
