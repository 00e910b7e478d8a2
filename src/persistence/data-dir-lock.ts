/**
 * PGlite has no lock between processes, and two of them writing one data directory corrupt it.
 * A `<dir>.lock` file holding the owner's pid keeps a second opener out; a lock left behind by a
 * process that no longer runs (killed, crashed) is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

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
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(lockPath, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number.parseInt(readFileSync(lockPath, 'utf8').trim(), 10);
    if (owner === process.pid) {
      throw new Error(`the embedded database ${dataDir} is already open in this process; share that handle`);
    }
    if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
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
