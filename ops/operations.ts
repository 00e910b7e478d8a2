/**
 * The operations views of one process, made at its composition root: the logger (and a log callback
 * per component), the metrics, and once the queues are reachable the /metrics endpoint and the queue
 * dashboard, each as configured. A view that cannot start (a port in use, no dashboard token) is
 * reported in one log line; the process goes on without it.
 */
import { QueueInspection } from '../jobs/queue-inspection';
import type { RedisConnectionOptions } from '../jobs/redis-connection';
import { type OperationsConfig, readOperationsConfig } from './config';
import { startDashboard } from './dashboard';
import type { RunningServer } from './http-listen';
import { componentLog, createLogger, type Logger, type LoggerOptions, type ProcessRole } from './logger';
import { FaceoffMetrics } from './metrics';
import { startMetricsServer } from './metrics-server';

/** What the rest of a process is handed: logs by component and, when metrics are on, the recorder. */
export interface Observability {
  log(component: string): (message: string) => void;
  metrics: FaceoffMetrics | undefined;
}

export interface Operations extends Observability {
  logger: Logger;
  config: OperationsConfig;
  /** Starts the metrics endpoint and the dashboard (each when configured), reading these queues. */
  serve(queues?: { connection: RedisConnectionOptions; prefix: string }): Promise<void>;
  /** Where the views listen, once served. */
  readonly addresses: { metrics?: string; dashboard?: string };
  close(): Promise<void>;
}

export interface OperationsOptions extends Pick<LoggerOptions, 'pretty' | 'destination'> {
  env?: Record<string, string | undefined>;
}

export function createOperations(role: ProcessRole, options: OperationsOptions = {}): Operations {
  const env = options.env ?? process.env;
  const config = readOperationsConfig(env);
  const logger = createLogger({
    process: role,
    level: config.logLevel,
    env,
    ...(options.pretty ? { pretty: true } : {}),
    ...(options.destination ? { destination: options.destination } : {}),
  });
  const log = (component: string) => componentLog(logger, component);
  const opsLog = logger.child({ component: 'operations' });
  const metrics = config.metrics ? new FaceoffMetrics({ process: role }) : undefined;
  const servers: RunningServer[] = [];
  const addresses: Operations['addresses'] = {};
  let inspection: QueueInspection | undefined;
  let unwatch: (() => void) | undefined;

  const serve: Operations['serve'] = async (queues) => {
    if (queues && (config.metrics || config.dashboard)) {
      inspection = new QueueInspection(queues.connection, queues.prefix, log('operations'));
      if (metrics) unwatch = metrics.watchQueues(inspection);
    }
    if (metrics && config.metrics) {
      try {
        const server = await startMetricsServer(metrics, config.metrics, log('operations'));
        servers.push(server);
        addresses.metrics = server.url;
        opsLog.info(`metrics on ${server.url}`);
      } catch (e) {
        opsLog.warn(
          `metrics endpoint not started on ${config.metrics.host}:${config.metrics.port}: ${(e as Error).message} (set FACEOFF_METRICS_PORT to another port, or off)`,
        );
      }
    }
    if (config.dashboardRefusal) opsLog.error(config.dashboardRefusal);
    if (config.dashboard && inspection) {
      try {
        const server = await startDashboard(inspection.queues, config.dashboard);
        servers.push(server);
        addresses.dashboard = server.url;
        opsLog.info(
          `queue dashboard on ${server.url} (token required${config.dashboard.readOnly ? ', read-only' : ''})`,
        );
      } catch (e) {
        opsLog.warn(
          `queue dashboard not started on ${config.dashboard.host}:${config.dashboard.port}: ${(e as Error).message}`,
        );
      }
    }
  };

  return {
    logger,
    config,
    log,
    metrics,
    serve,
    addresses,
    close: async () => {
      unwatch?.();
      await Promise.allSettled(servers.map((server) => server.close()));
      await inspection?.close();
    },
  };
}

/** createOperations for a process's entry point: a wrong setting is printed on stderr and the process exits 2. */
export function createOperationsOrExit(role: ProcessRole, options: OperationsOptions = {}): Operations {
  try {
    return createOperations(role, options);
  } catch (e) {
    // The logger's own settings are wrong: there is nothing to log with yet.
    console.error(`faceoff: ${(e as Error).message}`);
    process.exit(2);
  }
}
