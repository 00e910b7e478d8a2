import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { LogLevel } from '../../ops/config';
import { componentLog, createLogger } from '../../ops/logger';

const ENV = {
  REDIS_URL: 'redis://:redis-password-42@cache.internal:6379',
  DATABASE_URL: 'postgres://faceoff:db-password-123@db.internal:5432/faceoff',
  SLACK_BOT_TOKEN: 'xoxb-1234-5678-secret-bot-token',
  FACEOFF_DASHBOARD_TOKEN: 'dashboard-token-0123456789',
  FACEOFF_OUT_DIR: 'out',
};

const SECRETS = [
  'redis-password-42',
  'db-password-123',
  'xoxb-1234-5678-secret-bot-token',
  'dashboard-token-0123456789',
  'object-token-value',
  'nested-password',
  'header-bearer-value',
  ':pw@',
  'hunter2hunter2',
];

/** Lines a logger writes, captured as written. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

function jsonLogger(level: LogLevel = 'info') {
  const out = capture();
  const logger = createLogger({ process: 'worker', level, env: ENV, destination: out.stream });
  return { ...out, logger };
}

describe('process logger', () => {
  it('never writes secrets: keys, environment values, URL credentials in messages and errors', () => {
    const { lines, logger } = jsonLogger();
    const log = componentLog(logger, 'worker');
    log(`connecting to ${ENV.REDIS_URL} and ${ENV.DATABASE_URL}`);
    log('posting with xoxb-1234-5678-secret-bot-token to Slack');
    log(
      'a URL not from the environment: redis://:pw@other-host:6380/2 and https://u:hunter2hunter2@x.example/a?b=1',
    );
    logger.info(
      {
        token: 'object-token-value',
        user: { name: 'alice', password: 'nested-password' },
        headers: { authorization: 'Bearer header-bearer-value' },
        note: `the dashboard token is ${ENV.FACEOFF_DASHBOARD_TOKEN}`,
      },
      'an object with secrets',
    );
    logger.error(new Error(`could not reach ${ENV.DATABASE_URL}`), 'database down');

    const text = lines.join('\n');
    assert.equal(lines.length, 5);
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} appears in: ${text}`);
    assert.match(text, /redis:\/\/\*\*\*@other-host:6380\/2/, 'URL credentials are replaced, the host kept');
    const object = JSON.parse(lines[3] ?? '{}');
    assert.equal(object.token, '***');
    assert.equal(object.user.password, '***');
    assert.equal(object.user.name, 'alice');
    assert.equal(object.headers.authorization, '***');
    const error = JSON.parse(lines[4] ?? '{}');
    assert.equal(error.err.type, 'Error');
    assert.match(error.err.message, /^could not reach \*\*\*/);
  });

  it('writes JSON lines with level, time, process, component and msg; trouble words log as warnings', () => {
    const { lines, logger } = jsonLogger();
    componentLog(logger, 'control-plane')('comparison abc1234 queued');
    componentLog(logger, 'slack')('slack: could not post to C1: not_in_channel');
    const [info, warn] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      { ...info, time: undefined, pid: undefined },
      {
        level: 'info',
        time: undefined,
        pid: undefined,
        process: 'worker',
        component: 'control-plane',
        msg: 'comparison abc1234 queued',
      },
    );
    assert.match(String(info?.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(info?.pid, process.pid);
    assert.equal(warn?.level, 'warn');
    assert.equal(warn?.component, 'slack');
  });

  it('drops lines under FACEOFF_LOG_LEVEL', () => {
    const { lines, logger } = jsonLogger('warn');
    const log = componentLog(logger, 'jobs');
    log('started');
    log('worker error: connection reset');
    assert.deepEqual(
      lines.map((line) => JSON.parse(line).msg),
      ['worker error: connection reset'],
    );
  });

  it('writes short readable lines for the console demo, secrets removed there too', () => {
    const out = capture();
    const logger = createLogger({ process: 'console', env: ENV, pretty: true, destination: out.stream });
    componentLog(logger, 'jobs')(`redis at ${ENV.REDIS_URL} is ready`);
    assert.equal(out.lines.length, 1);
    assert.match(out.lines[0] ?? '', /^\[\d\d:\d\d:\d\d\] INFO: jobs: redis at \*\*\* is ready$/);
    assert.ok(!out.lines[0]?.startsWith('{'));
  });
});
