/**
 * The process logger (pino): JSON lines with level, time, process, component and msg for `npm start`
 * and `npm run worker`; short human-readable lines on stderr for the console demo. Secrets are
 * removed before a line is written (see log-redaction.ts). The rest of the code keeps logging
 * through `(message: string) => void` callbacks, made here per component.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from './config';
import { CENSOR, REDACT_PATHS, scrubText, scrubValue, secretValues } from './log-redaction';

/** Which Faceoff process is logging (and serving metrics): a `process` field and label. */
export type ProcessRole = 'bot' | 'worker' | 'console';

export interface LoggerOptions {
  process: ProcessRole;
  level?: LogLevel;
  /** Human-readable lines instead of JSON (the console demo). */
  pretty?: boolean;
  /** Where lines go (a writable stream when pretty); default stdout (JSON) or stderr (pretty), synchronously. */
  destination?: DestinationStream;
  /** Whose secret values are hidden (default process.env). */
  env?: Record<string, string | undefined>;
}

export type { Logger };

export function createLogger(options: LoggerOptions): Logger {
  const secrets = secretValues(options.env ?? process.env);
  const destination = options.pretty
    ? pretty({
        destination: options.destination ?? 2,
        sync: true,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname,process,component',
        messageFormat: '{if component}{component}: {end}{msg}',
      })
    : (options.destination ?? pino.destination({ dest: 1, sync: true }));
  return pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid, process: options.process },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      formatters: {
        // Pretty output reads numeric levels; JSON lines carry the name.
        ...(options.pretty ? {} : { level: (label: string) => ({ level: label }) }),
        log: (object: Record<string, unknown>) => scrubValue(object, secrets) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg: unknown) =>
            typeof arg === 'string' ? scrubText(arg, secrets) : arg,
          ) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
    },
    destination,
  );
}

/** Messages with these words are logged as warnings; the rest as info. */
const TROUBLE = /\b(error|errors|failed|fatal|crashed|could not|cannot|stalled|lost)\b/i;

/** A `(message) => void` callback for one component, writing through a child logger. */
export function componentLog(logger: Logger, component: string): (message: string) => void {
  const child = logger.child({ component });
  return (message) => {
    if (TROUBLE.test(message)) child.warn(message);
    else child.info(message);
  };
}
