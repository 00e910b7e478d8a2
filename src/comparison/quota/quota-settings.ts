/**
 * What one team may ask of the GPU workers, with safe defaults an operator can change per team:
 * runs per comparison, steps per run, runs at once, and device-hours per calendar month (UTC).
 */
import { parseTeamLimit, type TeamLimit } from './team-limits';

export interface QuotaSettings {
  runsPerComparison: TeamLimit;
  stepsPerRun: TeamLimit;
  /** Runs of one team active at once across all workers (enforced by the workers' team limiter). */
  concurrentRuns: TeamLimit;
  /** GPU-hours per month; device-hours on CPU workers (a run on N GPUs counts N hours per hour). */
  monthlyGpuHours: TeamLimit;
}

export const QUOTA_VARIABLES = {
  runsPerComparison: 'FACEOFF_MAX_RUNS_PER_COMPARISON',
  stepsPerRun: 'FACEOFF_MAX_STEPS_PER_RUN',
  concurrentRuns: 'FACEOFF_TEAM_CONCURRENCY',
  monthlyGpuHours: 'FACEOFF_TEAM_GPU_HOURS',
} as const;

export const QUOTA_DEFAULTS = {
  runsPerComparison: 60,
  stepsPerRun: 20_000,
  concurrentRuns: 2,
  monthlyGpuHours: 100,
} as const;

export function readQuotaSettings(env: Record<string, string | undefined> = process.env): QuotaSettings {
  const read = (key: keyof QuotaSettings, max: number, integer: boolean) =>
    parseTeamLimit(QUOTA_VARIABLES[key], env[QUOTA_VARIABLES[key]], {
      fallback: QUOTA_DEFAULTS[key],
      max,
      integer,
    });
  return {
    runsPerComparison: read('runsPerComparison', 100_000, true),
    stepsPerRun: read('stepsPerRun', 10_000_000, true),
    concurrentRuns: read('concurrentRuns', 10_000, true),
    monthlyGpuHours: read('monthlyGpuHours', 10_000_000, false),
  };
}

/** No limits at all (tests and one-person installs that want none). */
export const UNLIMITED: QuotaSettings = {
  runsPerComparison: { default: 0, teams: {} },
  stepsPerRun: { default: 0, teams: {} },
  concurrentRuns: { default: 0, teams: {} },
  monthlyGpuHours: { default: 0, teams: {} },
};
