/**
 * Real servers and processes a chaos test can stop, kill and start again: a private PostgreSQL, a
 * private Redis (with or without its append-only file), and Faceoff's own processes.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freePort } from '../../jobs/embedded-redis';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => child.once('exit', () => r()));
}

/** The PostgreSQL server binaries of the newest version installed (Debian's layout), if any. */
function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

/** A PostgreSQL server of its own, in a directory, that the test stops and starts. */
export class PrivatePostgres {
  private child: ChildProcess | undefined;
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
  ) {}

  static available(): boolean {
    return postgresBin() !== undefined;
  }

  static async start(dir: string): Promise<PrivatePostgres> {
    const bin = postgresBin();
    if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
    mkdirSync(dir, { recursive: true });
    const server = new PrivatePostgres(bin, dir, await freePort());
    // PostgreSQL refuses to run as root: as root, the server runs as the postgres user.
    if (process.getuid?.() === 0)
      chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), 0);
    const [initdb, args] = server.command([
      join(bin, 'initdb'),
      '-D',
      join(dir, 'data'),
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
    ]);
    execFileSync(initdb, args, { stdio: 'ignore' });
    await server.startServer();
    return server;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private command(args: string[]): [string, string[]] {
    return process.getuid?.() === 0
      ? ['runuser', ['-u', 'postgres', '--', ...args]]
      : [args[0] as string, args.slice(1)];
  }

  async startServer(): Promise<void> {
    const [cmd, rest] = this.command([
      join(this.bin, 'postgres'),
      '-D',
      join(this.dir, 'data'),
      '-p',
      String(this.port),
      '-k',
      this.dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
    ]);
    this.child = spawn(cmd, rest, { stdio: 'ignore' });
    await until(
      'PostgreSQL to accept connections',
      async () => {
        const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 1000 });
        client.on('error', () => {});
        await client.connect();
        await client.end();
        return true;
      },
      30_000,
    );
  }

  /**
   * Stops the server (fast shutdown: open connections are closed, as a restart does). The
   * postmaster is signalled by the pid it wrote, not through `runuser`, which does not pass
   * signals on.
   */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    const pidFile = join(this.dir, 'data', 'postmaster.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined;
    const alive = () => {
      if (!pid) return false;
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    if (pid) process.kill(pid, 'SIGINT');
    const deadline = Date.now() + 15_000;
    while (alive() && Date.now() < deadline) await sleep(50);
    if (alive() && pid) process.kill(pid, 'SIGKILL');
    while (alive()) await sleep(50);
    await Promise.race([exited(child), sleep(5000)]);
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A Redis server of its own on a fixed port, restarted with or without what it had kept. */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async start(dir: string): Promise<PrivateRedis> {
    const redis = new PrivateRedis(dir, await freePort());
    await redis.startServer();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private async startServer(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
      ],
      { stdio: 'ignore' },
    );
    await until(
      'Redis to answer',
      async () => {
        const client = new Redis(this.url, {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        client.on('error', () => {});
        try {
          await client.connect();
          return (await client.ping()) === 'PONG';
        } finally {
          client.disconnect();
        }
      },
      15_000,
    );
  }

  /**
   * Stops Redis and starts it again on the same port: with `keep`, from its append-only file (a
   * restart with persistence); without, from nothing (a restart of a server that persisted nothing).
   */
  async restart(options: { keep: boolean; downMs?: number }): Promise<void> {
    await this.stop();
    if (!options.keep) rmSync(this.dir, { recursive: true, force: true });
    await sleep(options.downMs ?? 0);
    await this.startServer();
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    const gone = exited(child);
    child.kill('SIGTERM');
    await Promise.race([gone, sleep(10_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await gone;
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One of Faceoff's processes (the bot, a worker), in its own process group, with its output kept. */
export class Service {
  private child: ChildProcess | undefined;
  output = '';

  constructor(
    readonly name: string,
    private readonly argv: string[],
    private readonly env: Record<string, string>,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(ready: RegExp, timeoutMs = 120_000): Promise<void> {
    const from = this.output.length;
    const [cmd, ...args] = this.argv;
    const child = spawn(cmd as string, args, {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    const keep = (d: Buffer) => {
      this.output += String(d);
      if (this.output.length > 2_000_000) this.output = this.output.slice(-1_000_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    await until(
      `${this.name} to be ready`,
      async () => {
        if (child.exitCode !== null)
          throw new Error(`${this.name} exited ${child.exitCode}:\n${this.output.slice(from)}`);
        return ready.test(this.output.slice(from));
      },
      timeoutMs,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${this.output.slice(from).slice(-4000)}`);
    });
  }

  /** SIGKILL to the whole process group: the process and everything it started, at once. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    const gone = exited(child);
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await gone;
    this.child = undefined;
  }

  /** SIGTERM (a clean shutdown), then SIGKILL if it takes too long. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid || !this.running) return;
    const gone = exited(child);
    child.kill('SIGTERM');
    await Promise.race([gone, sleep(15_000)]);
    if (this.running) await this.kill();
    await gone;
    this.child = undefined;
  }
}
