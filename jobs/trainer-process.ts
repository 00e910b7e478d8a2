/**
 * Runs the Python trainer as a child process (argument array, own process group), turns its
 * JSON-lines stdout into events and its exit into one outcome. Cancellation: SIGTERM to the
 * trainer, SIGKILL to its whole process group after a grace period; nothing is left behind.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { childEnvironment } from './child-environment';
import {
  isCombineConfig,
  parseTrainerLine,
  type RunConfig,
  TRAINER_EXIT,
  type TrainerEvent,
  type TrainerFailure,
  type TrainerSummary,
  trainerSummarySchema,
} from './trainer-protocol';

export type TrainerFailureKind = TrainerFailure['kind'];

export type TrainerOutcome =
  | { kind: 'finished'; summary: TrainerSummary; exitCode: number }
  | {
      kind: 'failed';
      failure: { kind: TrainerFailureKind; message: string; step?: number; batchSize?: number };
      exitCode: number | null;
      signal: NodeJS.Signals | null;
      stderrTail: string[];
    }
  | { kind: 'cancelled' }
  | {
      kind: 'crashed';
      exitCode: number | null;
      signal: NodeJS.Signals | null;
      stderrTail: string[];
      message: string;
    };

export interface RunTrainerOptions {
  /** A `train` config, or a `combine` config (run with the `combine` command). */
  config: RunConfig;
  outputDir: string;
  python?: string;
  /** Working directory of the trainer (default: this process's cwd, the repository root). */
  cwd?: string;
  /** Directory holding the `faceoff_trainer` package, put first on PYTHONPATH (default `<cwd>/jobs/trainer`). */
  trainerPath?: string;
  /** Settings for the trainer on top of the allow-listed part of this process's environment. */
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  onEvent: (event: TrainerEvent) => void;
  /** Time between SIGTERM and SIGKILL once cancelled (default 10 s). */
  graceMs?: number;
  log?: (message: string) => void;
  /** Kill the trainer if this process dies (Linux `setpriv --pdeathsig`); default true. */
  dieWithParent?: boolean;
}

const STDERR_TAIL_LINES = 40;
const MAX_LOGGED_IGNORED_LINES = 20;

export async function runTrainer(options: RunTrainerOptions): Promise<TrainerOutcome> {
  const log = options.log ?? (() => {});
  if (options.signal?.aborted) return { kind: 'cancelled' };
  const cwd = options.cwd ?? process.cwd();
  const outputDir = path.resolve(cwd, options.outputDir);
  await mkdir(outputDir, { recursive: true });
  const configPath = path.join(outputDir, 'config.json');
  await writeFile(configPath, `${JSON.stringify(options.config, null, 2)}\n`);
  // A stale result must not pass for this attempt's. `checkpoint/` stays: the trainer resumes
  // from it when an earlier attempt of the same run was interrupted (PROTOCOL.md).
  await rm(path.join(outputDir, 'result.json'), { force: true });

  const trainerPath = path.resolve(cwd, options.trainerPath ?? 'jobs/trainer');
  const inherited = options.env?.PYTHONPATH ?? process.env.PYTHONPATH;
  const env = childEnvironment(process.env, {
    ...options.env,
    PYTHONPATH: inherited ? `${trainerPath}${path.delimiter}${inherited}` : trainerPath,
    PYTHONUNBUFFERED: '1',
  });
  const subcommand = isCombineConfig(options.config) ? 'combine' : 'train';
  const args = ['-m', 'faceoff_trainer', subcommand, '--config', configPath, '--output-dir', outputDir];
  const launcher = options.dieWithParent === false ? [] : await parentDeathLauncher();
  const [command, ...commandArgs] = [...launcher, options.python ?? 'python3', ...args] as [
    string,
    ...string[],
  ];

  if (options.signal?.aborted) return { kind: 'cancelled' };
  const child = spawn(command, commandArgs, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.on('error', (error) => log(`trainer ${options.config.run_id}: process error: ${error.message}`));
  const stderrTail: string[] = [];
  let summaryEvent: unknown;
  let failedEvent: TrainerFailure | undefined;
  let cancelRequested = false;
  let killTimer: NodeJS.Timeout | undefined;
  let ignoredLines = 0;

  const stdout = createInterface({ input: child.stdout as NodeJS.ReadableStream, crlfDelay: Infinity });
  stdout.on('line', (line) => {
    const parsed = parseTrainerLine(line);
    if (!parsed.ok) {
      if (line.trim() && ++ignoredLines <= MAX_LOGGED_IGNORED_LINES) {
        const more =
          ignoredLines === MAX_LOGGED_IGNORED_LINES ? '; further ignored lines are not logged' : '';
        log(`trainer ${options.config.run_id}: ignored stdout line (${parsed.reason})${more}`);
      }
      return;
    }
    if (parsed.event.event === 'finished') summaryEvent = parsed.event.summary;
    if (parsed.event.event === 'failed') failedEvent = parsed.event;
    try {
      options.onEvent(parsed.event);
    } catch (error) {
      log(`trainer ${options.config.run_id}: event handler failed: ${messageOf(error)}`);
    }
  });
  const stderr = createInterface({ input: child.stderr as NodeJS.ReadableStream, crlfDelay: Infinity });
  stderr.on('line', (line) => {
    stderrTail.push(line.length > 1000 ? `${line.slice(0, 1000)}…` : line);
    if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
  });

  const onAbort = () => {
    if (cancelRequested || child.exitCode !== null || child.signalCode !== null) return;
    cancelRequested = true;
    const graceMs = options.graceMs ?? 10_000;
    log(`trainer ${options.config.run_id}: cancelling (SIGTERM, SIGKILL after ${graceMs} ms)`);
    signalProcess(child.pid, 'SIGTERM');
    killTimer = setTimeout(() => {
      log(`trainer ${options.config.run_id}: still running ${graceMs} ms after SIGTERM; sending SIGKILL`);
      signalGroup(child, 'SIGKILL');
    }, graceMs);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const ended = await waitForEnd(child);
  clearTimeout(killTimer);
  options.signal?.removeEventListener('abort', onAbort);
  // Anything the trainer started and left running (data loaders, a stray shell) goes with it.
  signalGroup(child, 'SIGKILL');
  await ended.streamsClosed;

  if (ended.spawnError) {
    return crashed(null, null, stderrTail, `could not start the trainer: ${messageOf(ended.spawnError)}`);
  }
  const { exitCode, signal } = ended;
  const summary = exitCode === TRAINER_EXIT.ok ? await readSummary(summaryEvent, outputDir, log) : undefined;
  if (exitCode === TRAINER_EXIT.ok && summary) return { kind: 'finished', summary, exitCode };
  if (cancelRequested) return { kind: 'cancelled' };
  if (exitCode === TRAINER_EXIT.ok) {
    return crashed(exitCode, signal, stderrTail, 'the trainer exited 0 without a valid result summary');
  }
  if (failedEvent) {
    const { kind, message, step, batch_size: batchSize } = failedEvent;
    return { kind: 'failed', failure: { kind, message, step, batchSize }, exitCode, signal, stderrTail };
  }
  if (exitCode === TRAINER_EXIT.badInput) {
    const message = `the trainer rejected its config or data (exit 2): ${lastLine(stderrTail)}`;
    return { kind: 'failed', failure: { kind: 'bad_config', message }, exitCode, signal, stderrTail };
  }
  const how = signal ? `was killed by ${signal}${describeSignal(signal)}` : `exited with code ${exitCode}`;
  return crashed(exitCode, signal, stderrTail, `the trainer ${how}: ${lastLine(stderrTail)}`);
}

function crashed(
  exitCode: number | null,
  signal: NodeJS.Signals | null,
  stderrTail: string[],
  message: string,
): TrainerOutcome {
  return { kind: 'crashed', exitCode, signal, stderrTail, message };
}

interface ChildEnd {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: Error;
  streamsClosed: Promise<void>;
}

/** Resolves at 'exit' (or a spawn error); `streamsClosed` settles when stdout/stderr are drained. */
function waitForEnd(child: ChildProcess): Promise<ChildEnd> {
  const streamsClosed = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.once('error', () => resolve());
  });
  const bounded = streamsClosed.then(() => {});
  return new Promise((resolve) => {
    child.once('exit', (exitCode, signal) => {
      const timeout = new Promise<void>((done) => setTimeout(done, 2000).unref());
      resolve({ exitCode, signal, streamsClosed: Promise.race([bounded, timeout]) });
    });
    child.once('error', (spawnError) => {
      if (child.pid === undefined) resolve({ exitCode: null, signal: null, spawnError, streamsClosed });
    });
  });
}

function signalProcess(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {}
}

/** The child leads its own process group (detached), so `-pid` reaches everything it started. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {}
}

export async function readSummary(
  fromEvent: unknown,
  outputDir: string,
  log: (message: string) => void,
): Promise<TrainerSummary | undefined> {
  if (fromEvent !== undefined) {
    const parsed = trainerSummarySchema.safeParse(fromEvent);
    if (parsed.success) return parsed.data;
    log(`finished event summary is not valid (${parsed.error.issues[0]?.message}); reading result.json`);
  }
  try {
    const parsed = trainerSummarySchema.safeParse(
      JSON.parse(await readFile(path.join(outputDir, 'result.json'), 'utf8')),
    );
    if (parsed.success) return parsed.data;
    log(
      `result.json is not a valid summary: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
    );
  } catch (error) {
    log(`could not read result.json: ${messageOf(error)}`);
  }
  return undefined;
}

function describeSignal(signal: NodeJS.Signals): string {
  if (signal === 'SIGKILL') return ' (the out-of-memory killer or an operator)';
  if (signal === 'SIGSEGV' || signal === 'SIGBUS' || signal === 'SIGABRT') return ' (a native crash)';
  return '';
}

function lastLine(lines: string[]): string {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]?.trim();
    if (line) return line.slice(0, 300);
  }
  return 'no output on stderr';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let launcherLookup: Promise<string[]> | undefined;

/** `setpriv --pdeathsig KILL --` where available, so a trainer never outlives a killed worker. */
export function parentDeathLauncher(): Promise<string[]> {
  launcherLookup ??= new Promise((resolve) => {
    if (process.platform !== 'linux') return resolve([]);
    execFile('setpriv', ['--help'], { timeout: 5000 }, (error, stdout) => {
      resolve(!error && stdout.includes('--pdeathsig') ? ['setpriv', '--pdeathsig', 'KILL', '--'] : []);
    });
  });
  return launcherLookup;
}
