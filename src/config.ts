/** Configuration read from the environment, validated once at start. Secrets are never logged. */
export interface CoreConfig {
  databaseUrl: string | undefined;
  sessionTtlMs: number;
  outDir: string;
}

function positiveNumber(env: Record<string, string | undefined>, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${key}: "${raw}" is not a positive number`);
  }
  return value;
}

export function readCoreConfig(env: Record<string, string | undefined> = process.env): CoreConfig {
  return {
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    sessionTtlMs: positiveNumber(env, 'FACEOFF_SESSION_TTL_MINUTES', 24 * 60) * 60_000,
    outDir: env.FACEOFF_OUT_DIR?.trim() || 'out',
  };
}
