import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createOperationsOrExit } from '../../ops/operations';
import { readCoreConfig } from '../../src/config';
import { startFaceoff } from '../compose';
import { ConsoleChat } from './console-chat';

const USAGE = 'usage: npm run demo [-- --script FILE] [--out DIR]';

/** Logs stay human-readable on stderr; stdout is the conversation. */
const operations = createOperationsOrExit('console', { pretty: true });

async function main(): Promise<number> {
  let options: { script?: string; out?: string; help?: boolean };
  try {
    options = parseArgs({
      options: { script: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  // A terminal scrolls: print job progress less often than chat platforms edit it in place.
  process.env.FACEOFF_PROGRESS_INTERVAL_MS ??= '15000';
  const config = readCoreConfig();
  const scriptLines = options.script ? await readScript(options.script) : undefined;
  if (scriptLines && !scriptLines.ok) {
    console.error(scriptLines.error);
    return 2;
  }
  const app = await startFaceoff({
    ...config,
    outDir: options.out ?? config.outDir,
    platform: 'console',
    operations,
  });
  await operations.serve(app.jobs?.queues);
  const chat = new ConsoleChat(app.engine, (text) => console.log(text), options.out ?? config.outDir);
  app.setNotifier((reply) => chat.show(reply));
  try {
    if (scriptLines) {
      for (const [index, line] of scriptLines.lines) {
        console.log(`you> ${line}`);
        if (line === '/wait') {
          await app.idle();
          continue;
        }
        try {
          await chat.send(line);
        } catch (e) {
          console.error(`script line ${index}: "${line}" failed: ${(e as Error).message}`);
          return 1;
        }
      }
      await app.idle();
      return 0;
    }
    await interactive(chat, () => app.idle());
    return 0;
  } finally {
    await app.close();
    await operations.close();
  }
}

async function readScript(
  path: string,
): Promise<{ ok: true; lines: [number, string][] } | { ok: false; error: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return {
      ok: false,
      error: `cannot read script ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    };
  }
  const lines = text
    .split(/\r?\n/)
    .map((line, i) => [i + 1, line.trim()] as [number, string])
    .filter(([, line]) => line !== '' && !line.startsWith('#'));
  return { ok: true, lines };
}

async function interactive(chat: ConsoleChat, idle: () => Promise<void>): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you> ' });
  console.log(
    'Faceoff console. Type /faceoff help, /faceoff decide, /faceoff cost preset=article; Ctrl-D to quit.',
  );
  rl.prompt();
  for await (const line of rl) {
    if (/^(\/quit|\/exit)$/.test(line.trim())) break;
    if (line.trim() === '/wait') await idle();
    else if (line.trim()) {
      try {
        await chat.send(line);
      } catch (e) {
        console.log(`bot> Something went wrong handling that line: ${(e as Error).message}`);
      }
    }
    rl.prompt();
  }
  rl.close();
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    operations.logger.fatal(e.message);
    process.exit(1);
  },
);
