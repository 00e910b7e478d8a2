/**
 * `npm run retention -- [--days N] [--apply]`: what the artifact retention policy deletes (see
 * retention.ts), from DATABASE_URL, FACEOFF_ARTIFACT_DIR and the bucket (FACEOFF_S3_*) when one is
 * configured; nothing is deleted without --apply. Run it where the artifact directory is (the
 * control plane's host when workers share it); the bucket is reached from anywhere.
 */
import { parseArgs } from 'node:util';
import { formatBytes } from '../src/format/units';
import { createRepositories, openDatabase } from '../src/persistence/index';
import { readJobsConfig } from './config';
import { applyRetention, DEFAULT_RETENTION_DAYS, planRetention } from './retention';
import { bucketStore } from './storage/storage-config';

const ENDED_JOBS_READ = 10_000;

export function parseRetentionArgs(
  args: string[],
  env: Record<string, string | undefined> = process.env,
): { days: number; apply: boolean } | { error: string } {
  let values: { days?: string; apply?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { days: { type: 'string' }, apply: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    return { error: `${(e as Error).message}; expected --days N and/or --apply` };
  }
  const raw = values.days ?? (env.FACEOFF_ARTIFACT_RETENTION_DAYS?.trim() || String(DEFAULT_RETENTION_DAYS));
  const days = Number(raw);
  if (!Number.isFinite(days) || days < 0 || raw.trim() === '')
    return {
      error: `days: "${raw}" is not a number of days >= 0 (--days or FACEOFF_ARTIFACT_RETENTION_DAYS)`,
    };
  return { days, apply: values.apply ?? false };
}

async function main(): Promise<number> {
  const parsed = parseRetentionArgs(process.argv.slice(2));
  if ('error' in parsed) {
    console.error(parsed.error);
    return 2;
  }
  const { artifactDir, storage } = readJobsConfig();
  const store = bucketStore(storage);
  const database = await openDatabase();
  try {
    const jobs = await createRepositories(database.prisma).jobs.listEnded(ENDED_JOBS_READ);
    const actions = await planRetention(jobs, {
      artifactDir,
      now: new Date(),
      keepDays: parsed.days,
      ...(store ? { store } : {}),
    });
    for (const a of actions)
      console.log(
        `${a.jobId}\t${a.why === 'expired' ? `ended over ${parsed.days} days ago` : 'sweep run not chosen: full weights'}\t${formatBytes(a.bytes)}\t${a.path}`,
      );
    const total = actions.reduce((sum, a) => sum + a.bytes, 0);
    if (!parsed.apply) {
      console.log(
        `${actions.length} item(s), ${formatBytes(total)}; nothing deleted (add --apply to delete them)`,
      );
      return 0;
    }
    const freed = await applyRetention(actions, store);
    console.log(`deleted ${actions.length} item(s), ${formatBytes(freed)} freed`);
    return 0;
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`retention: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
