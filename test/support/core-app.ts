import { type FaceoffApp, startFaceoff } from '../../bots/compose';

/** The app through its composition root without the job system, on an in-memory embedded database. */
export function startCoreApp(): Promise<FaceoffApp> {
  return startFaceoff({
    platform: 'server',
    withJobs: false,
    databaseUrl: 'memory:',
    sessionTtlMs: 3_600_000,
    outDir: 'out',
    log: () => {},
  });
}
