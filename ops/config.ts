/**
 * Operations settings from the environment: the Prometheus endpoint (FACEOFF_METRICS_*), the queue
 * dashboard (FACEOFF_DASHBOARD_*) and the log level (FACEOFF_LOG_LEVEL).
 */

export const DEFAULT_METRICS_PORT = 9464;
export const DEFAULT_DASHBOARD_PORT = 9465;
export const DEFAULT_HOST = '127.0.0.1';
/** Shorter dashboard tokens are refused: the token is the only thing between the network and the queues. */
export const MIN_DASHBOARD_TOKEN_LENGTH = 16;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ListenAddress {
  port: number;
  host: string;
}

export interface DashboardSettings extends ListenAddress {
  token: string;
  /** Jobs may be looked at but not retried, promoted, cleaned or removed. */
  readOnly: boolean;
}

export interface OperationsConfig {
  /** Absent: no /metrics endpoint. */
  metrics: ListenAddress | undefined;
  /** Absent: no dashboard (not asked for, or refused: see `dashboardRefusal`). */
  dashboard: DashboardSettings | undefined;
  /** One line saying why the dashboard asked for is not started. */
  dashboardRefusal: string | undefined;
  logLevel: LogLevel;
}

type Env = Record<string, string | undefined>;

const isOff = (raw: string) => raw === '0' || raw.toLowerCase() === 'off';

/** A port from `key`: the default when unset, undefined for `0` or `off`. */
function port(env: Env, key: string, fallback: number): number | undefined {
  const raw = env[key]?.trim();
  if (!raw) return fallback;
  if (isOff(raw)) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535)
    throw new Error(`${key}: "${raw}" is not a port (1 to 65535), 0 or off`);
  return value;
}

function flag(env: Env, key: string, fallback: boolean): boolean {
  const raw = env[key]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new Error(`${key}: "${env[key]}" is not 1 or 0`);
}

export function readLogLevel(env: Env): LogLevel {
  const raw = env.FACEOFF_LOG_LEVEL?.trim().toLowerCase() || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw))
    throw new Error(`FACEOFF_LOG_LEVEL: "${env.FACEOFF_LOG_LEVEL}" is not one of ${LOG_LEVELS.join(', ')}`);
  return raw as LogLevel;
}

function readDashboard(env: Env): Pick<OperationsConfig, 'dashboard' | 'dashboardRefusal'> {
  const token = env.FACEOFF_DASHBOARD_TOKEN?.trim();
  const rawPort = env.FACEOFF_DASHBOARD_PORT?.trim();
  if (rawPort && isOff(rawPort)) return { dashboard: undefined, dashboardRefusal: undefined };
  if (!token) {
    return {
      dashboard: undefined,
      dashboardRefusal: rawPort
        ? `queue dashboard not started: FACEOFF_DASHBOARD_PORT is set but FACEOFF_DASHBOARD_TOKEN is not (set a random token of ${MIN_DASHBOARD_TOKEN_LENGTH}+ characters)`
        : undefined,
    };
  }
  if (token.length < MIN_DASHBOARD_TOKEN_LENGTH) {
    return {
      dashboard: undefined,
      dashboardRefusal: `queue dashboard not started: FACEOFF_DASHBOARD_TOKEN is shorter than ${MIN_DASHBOARD_TOKEN_LENGTH} characters`,
    };
  }
  return {
    dashboard: {
      port: port(env, 'FACEOFF_DASHBOARD_PORT', DEFAULT_DASHBOARD_PORT) ?? DEFAULT_DASHBOARD_PORT,
      host: env.FACEOFF_DASHBOARD_HOST?.trim() || DEFAULT_HOST,
      token,
      readOnly: flag(env, 'FACEOFF_DASHBOARD_READ_ONLY', true),
    },
    dashboardRefusal: undefined,
  };
}

export function readOperationsConfig(env: Env = process.env): OperationsConfig {
  const metricsPort = port(env, 'FACEOFF_METRICS_PORT', DEFAULT_METRICS_PORT);
  return {
    metrics:
      metricsPort === undefined
        ? undefined
        : { port: metricsPort, host: env.FACEOFF_METRICS_HOST?.trim() || DEFAULT_HOST },
    ...readDashboard(env),
    logLevel: readLogLevel(env),
  };
}
