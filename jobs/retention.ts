/**
 * Artifact retention: what a finished comparison keeps on disk. The chosen grid point's runs
 * (their adapters or weights and results) stay until the job is older than the retention period;
 * the sweep's losing runs lose their full-weight checkpoints as soon as the comparison has ended
 * (their results and small adapters stay); after the retention period a job's whole artifact
 * directory goes. Planned first (what, why, how many bytes), applied only when asked.
 */
import { lstat, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { selectArms } from '../src/analysis/arms';
import type { RunLike } from '../src/analysis/run-summary';
import { jobArtifactPrefix, type ObjectStore } from './storage/object-store';

export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

export interface RetentionRun extends RunLike {
  /** Where the worker wrote the run (its output directory). */
  artifactPath: string | null;
}

export interface RetentionJob {
  id: string;
  state: string;
  finishedAt: Date | null;
  runs: RetentionRun[];
}

export interface RetentionAction {
  jobId: string;
  /** A local path, or the bucket ref of what goes (`s3://bucket/prefix/artifacts/<job>/`). */
  path: string;
  why: 'expired' | 'sweep_loser';
  bytes: number;
  /** The bucket's objects to delete (bucket actions only). */
  keys?: string[];
}

/** Bytes under a path (0 when it does not exist); links are counted, not followed. */
export async function diskBytes(target: string): Promise<number> {
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(target);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(target)) total += await diskBytes(path.join(target, entry));
  return total;
}

/** The runs of the grid point chosen per task and method (the ones results and deployment use). */
function chosenRunIds(runs: readonly RetentionRun[]): Set<string> {
  const arms = selectArms([...runs]);
  const rankOf = (run: RetentionRun) => (typeof run.loraRank === 'number' ? run.loraRank : undefined);
  return new Set(
    runs
      .filter((run) =>
        arms.some(
          (arm) =>
            arm.task === run.task &&
            arm.method === run.method &&
            arm.chosenLr === run.learningRate &&
            arm.chosenRank === rankOf(run),
        ),
      )
      .map((run) => run.id),
  );
}

/** `child` resolved, if it lies strictly inside `root`. */
function inside(root: string, child: string): string | undefined {
  const resolved = path.resolve(child);
  const relative = path.relative(path.resolve(root), resolved);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? resolved : undefined;
}

export async function planRetention(
  jobs: readonly RetentionJob[],
  options: { artifactDir: string; now: Date; keepDays: number; store?: ObjectStore },
): Promise<RetentionAction[]> {
  const actions: RetentionAction[] = [];
  for (const job of jobs) {
    if (job.state === 'queued' || job.state === 'running') continue;
    if (options.store) actions.push(...(await planBucket(job, options.store, options)));
    const jobDir = inside(options.artifactDir, path.join(options.artifactDir, job.id));
    if (!jobDir) continue;
    const expired =
      job.finishedAt !== null && options.now.getTime() - job.finishedAt.getTime() > options.keepDays * DAY_MS;
    if (expired) {
      const bytes = await diskBytes(jobDir);
      if (bytes > 0) actions.push({ jobId: job.id, path: jobDir, why: 'expired', bytes });
      continue;
    }
    const chosen = chosenRunIds(job.runs);
    for (const run of job.runs) {
      if (chosen.has(run.id)) continue;
      const runDir = inside(options.artifactDir, run.artifactPath ?? path.join(jobDir, run.id));
      const weights = runDir && inside(options.artifactDir, path.join(runDir, 'model'));
      if (!weights) continue;
      const bytes = await diskBytes(weights);
      if (bytes > 0) actions.push({ jobId: job.id, path: weights, why: 'sweep_loser', bytes });
    }
  }
  return actions;
}

/** The same rules for what a job keeps in the bucket (runs uploaded by workers on other hosts). */
async function planBucket(
  job: RetentionJob,
  store: ObjectStore,
  options: { now: Date; keepDays: number },
): Promise<RetentionAction[]> {
  const expired =
    job.finishedAt !== null && options.now.getTime() - job.finishedAt.getTime() > options.keepDays * DAY_MS;
  const prefix = jobArtifactPrefix(job.id);
  if (expired) {
    const objects = await store.list(prefix);
    if (!objects.length) return [];
    const bytes = objects.reduce((sum, o) => sum + o.bytes, 0);
    return [
      { jobId: job.id, path: store.ref(prefix), why: 'expired', bytes, keys: objects.map((o) => o.key) },
    ];
  }
  const chosen = chosenRunIds(job.runs);
  const out: RetentionAction[] = [];
  for (const run of job.runs) {
    const key = run.artifactPath ? store.keyOf(run.artifactPath) : undefined;
    if (chosen.has(run.id) || key === undefined) continue;
    const weights = await store.list(`${key}/model/`);
    if (!weights.length) continue;
    const bytes = weights.reduce((sum, o) => sum + o.bytes, 0);
    out.push({
      jobId: job.id,
      path: store.ref(`${key}/model/`),
      why: 'sweep_loser',
      bytes,
      keys: weights.map((o) => o.key),
    });
  }
  return out;
}

export async function applyRetention(
  actions: readonly RetentionAction[],
  store?: ObjectStore,
): Promise<number> {
  let freed = 0;
  for (const action of actions) {
    if (action.keys) {
      if (!store) throw new Error(`${action.path} is in object storage, but no bucket is configured`);
      await store.delete(action.keys);
    } else {
      await rm(action.path, { recursive: true, force: true });
    }
    freed += action.bytes;
  }
  return freed;
}
