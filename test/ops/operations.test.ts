import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { redisConnectionOptions } from '../../jobs/redis-connection';
import { DEFAULT_DASHBOARD_PORT, DEFAULT_METRICS_PORT, readOperationsConfig } from '../../ops/config';
import { createOperations, type Operations } from '../../ops/operations';
import { deleteRedisKeys, TEST_REDIS_URL } from '../support/test-services';
import { sampleSum, scrape } from './prometheus-text';

const TOKEN = 'an-operator-token-0123456789';

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function captured(role: 'bot' | 'worker', env: Record<string, string>) {
  const lines: Record<string, unknown>[] = [];
  const destination = { write: (line: string) => void lines.push(JSON.parse(line)) };
  return { lines, operations: createOperations(role, { env, destination }) };
}

describe('operations settings', () => {
  it('serves metrics on 127.0.0.1:9464 by default; no dashboard, info logs', () => {
    const config = readOperationsConfig({});
    assert.deepEqual(config.metrics, { port: DEFAULT_METRICS_PORT, host: '127.0.0.1' });
    assert.equal(config.dashboard, undefined);
    assert.equal(config.dashboardRefusal, undefined);
    assert.equal(config.logLevel, 'info');
  });

  it('turns metrics off with 0 or off, and names the variable of a bad value', () => {
    assert.equal(readOperationsConfig({ FACEOFF_METRICS_PORT: '0' }).metrics, undefined);
    assert.equal(readOperationsConfig({ FACEOFF_METRICS_PORT: 'off' }).metrics, undefined);
    assert.deepEqual(
      readOperationsConfig({ FACEOFF_METRICS_PORT: '9500', FACEOFF_METRICS_HOST: '0.0.0.0' }).metrics,
      {
        port: 9500,
        host: '0.0.0.0',
      },
    );
    assert.throws(
      () => readOperationsConfig({ FACEOFF_METRICS_PORT: '70000' }),
      /FACEOFF_METRICS_PORT: "70000"/,
    );
    assert.throws(() => readOperationsConfig({ FACEOFF_LOG_LEVEL: 'loud' }), /FACEOFF_LOG_LEVEL: "loud"/);
  });

  it('starts the dashboard only with a long enough token, read-only on 127.0.0.1 unless told', () => {
    const refused = readOperationsConfig({ FACEOFF_DASHBOARD_PORT: '9470' });
    assert.equal(refused.dashboard, undefined);
    assert.match(
      refused.dashboardRefusal ?? '',
      /^queue dashboard not started: .*FACEOFF_DASHBOARD_TOKEN is not/,
    );
    assert.ok(!refused.dashboardRefusal?.includes('\n'));
    const short = readOperationsConfig({ FACEOFF_DASHBOARD_TOKEN: 'short' });
    assert.equal(short.dashboard, undefined);
    assert.match(short.dashboardRefusal ?? '', /shorter than 16 characters/);
    assert.deepEqual(readOperationsConfig({ FACEOFF_DASHBOARD_TOKEN: TOKEN }).dashboard, {
      port: DEFAULT_DASHBOARD_PORT,
      host: '127.0.0.1',
      token: TOKEN,
      readOnly: true,
    });
    const open = readOperationsConfig({
      FACEOFF_DASHBOARD_TOKEN: TOKEN,
      FACEOFF_DASHBOARD_PORT: '9471',
      FACEOFF_DASHBOARD_HOST: '::1',
      FACEOFF_DASHBOARD_READ_ONLY: '0',
    }).dashboard;
    assert.deepEqual(open && { ...open, token: undefined }, {
      port: 9471,
      host: '::1',
      token: undefined,
      readOnly: false,
    });
    assert.equal(
      readOperationsConfig({ FACEOFF_DASHBOARD_TOKEN: TOKEN, FACEOFF_DASHBOARD_PORT: 'off' }).dashboard,
      undefined,
    );
  });
});

describe('a process serving its operations views', () => {
  const prefix = `faceoff-test-${randomBytes(4).toString('hex')}`;
  const connection = redisConnectionOptions(TEST_REDIS_URL);
  const started: Operations[] = [];
  const busy: Server[] = [];
  after(async () => {
    for (const operations of started) await operations.close();
    for (const server of busy) await new Promise((resolve) => server.close(resolve));
    await deleteRedisKeys(prefix);
  });

  it('serves /metrics with queue depth read from Redis and the dashboard behind its token; logs where', async () => {
    const [metricsPort, dashboardPort] = [await freePort(), await freePort()];
    const { lines, operations } = captured('worker', {
      FACEOFF_METRICS_PORT: String(metricsPort),
      FACEOFF_DASHBOARD_PORT: String(dashboardPort),
      FACEOFF_DASHBOARD_TOKEN: TOKEN,
    });
    started.push(operations);
    await operations.serve({ connection, prefix });
    assert.equal(operations.addresses.metrics, `http://127.0.0.1:${metricsPort}/metrics`);
    const text = await scrape(operations.addresses.metrics ?? '');
    const waiting = { queue: 'faceoff-runs', state: 'waiting', process: 'worker' };
    assert.match(text, /^faceoff_queue_jobs\{queue="faceoff-runs",state="waiting",process="worker"\} 0$/m);
    assert.equal(sampleSum(text, 'faceoff_queue_jobs', waiting), 0);
    const dashboard = `http://127.0.0.1:${dashboardPort}/api/queues`;
    assert.equal((await fetch(dashboard)).status, 401);
    assert.equal((await fetch(dashboard, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
    assert.deepEqual(
      lines.map((line) => [line.level, line.component, line.msg]),
      [
        ['info', 'operations', `metrics on http://127.0.0.1:${metricsPort}/metrics`],
        [
          'info',
          'operations',
          `queue dashboard on http://127.0.0.1:${dashboardPort}/ (token required, read-only)`,
        ],
      ],
    );
    assert.ok(!JSON.stringify(lines).includes(TOKEN));
  });

  it('goes on without a view that cannot start, saying why in one line', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    busy.push(server);
    const port = (server.address() as AddressInfo).port;
    const { lines, operations } = captured('bot', {
      FACEOFF_METRICS_PORT: String(port),
      FACEOFF_DASHBOARD_PORT: String(await freePort()),
    });
    started.push(operations);
    await operations.serve({ connection, prefix });
    assert.equal(operations.addresses.metrics, undefined);
    assert.equal(operations.addresses.dashboard, undefined);
    assert.equal(lines.length, 2);
    assert.equal(lines[0]?.level, 'warn');
    assert.match(
      String(lines[0]?.msg),
      new RegExp(`^metrics endpoint not started on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`),
    );
    assert.equal(lines[1]?.level, 'error');
    assert.match(
      String(lines[1]?.msg),
      /^queue dashboard not started: FACEOFF_DASHBOARD_PORT is set but FACEOFF_DASHBOARD_TOKEN is not/,
    );
  });

  it('records nothing and serves nothing with metrics off', async () => {
    const { lines, operations } = captured('bot', { FACEOFF_METRICS_PORT: 'off' });
    started.push(operations);
    await operations.serve({ connection, prefix });
    assert.equal(operations.metrics, undefined);
    assert.deepEqual(operations.addresses, {});
    assert.deepEqual(lines, []);
  });
});
