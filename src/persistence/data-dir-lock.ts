/**
 * PGlite has no lock between processes, and two of them writing one data directory corrupt it.
 * A `<dir>.lock` file holding the owner's pid keeps a second opener out; a lock left behind by a
 * process that no longer runs (killed, crashed) is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

/** Lock files this process holds; a file naming our pid but not listed here is a previous run's. */
const held = new Set<string>();

export interface DataDirLock {
  release(): void;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  const lockPath = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(lockPath);
      return {
        release() {
          if (!held.delete(lockPath)) return;
          rmSync(lockPath, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (held.has(lockPath)) {
      throw new Error(`the embedded database ${dataDir} is already open in this process; share that handle`);
    }
    const owner = Number.parseInt(readFileSync(lockPath, 'utf8').trim(), 10);
    // Our own pid in a file we do not hold: left by an earlier run that had the same pid (containers).
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
      throw new Error(
        `the embedded database ${dataDir} is in use by process ${owner}. The embedded database serves ` +
          'one process at a time: run bot and worker in one process, or point DATABASE_URL at PostgreSQL ' +
          `for several. (If no such process is yours, delete ${lockPath}.)`,
      );
    }
    rmSync(lockPath, { force: true });
  }
  throw new Error(`could not lock the embedded database ${dataDir} (${lockPath} keeps reappearing)`);
}
