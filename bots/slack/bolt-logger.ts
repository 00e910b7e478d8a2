/** Bolt's own lines (and its Web API and Socket Mode clients'), written through a Faceoff log callback. */
import { format } from 'node:util';
import { type Logger, LogLevel } from '@slack/bolt';

const ORDER: readonly LogLevel[] = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

export function boltLogger(log: (message: string) => void, level: LogLevel = LogLevel.INFO): Logger {
  let current = level;
  let name = 'bolt';
  const at =
    (severity: LogLevel) =>
    (...parts: unknown[]) => {
      if (ORDER.indexOf(severity) >= ORDER.indexOf(current)) log(`${name} ${severity}: ${format(...parts)}`);
    };
  return {
    debug: at(LogLevel.DEBUG),
    info: at(LogLevel.INFO),
    warn: at(LogLevel.WARN),
    error: at(LogLevel.ERROR),
    setLevel: (next) => {
      current = next;
    },
    getLevel: () => current,
    setName: (next) => {
      name = next;
    },
  };
}
