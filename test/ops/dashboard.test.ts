import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { QUEUES } from '../../jobs/definitions';
import { QueueInspection } from '../../jobs/queue-inspection';
import { redisConnectionOptions } from '../../jobs/redis-connection';
import { startDashboard } from '../../ops/dashboard';
import { DASHBOARD_COOKIE } from '../../ops/dashboard-access';
import type { RunningServer } from '../../ops/http-listen';
import { deleteRedisKeys, TEST_REDIS_URL } from '../support/test-services';

interface QueueView {
  name: string;
  counts: Record<string, number>;
}

/** Bull Board over both queues on the real Redis (a unique prefix), behind the dashboard token. */
describe('queue dashboard', () => {
  const prefix = `faceoff-test-${randomBytes(4).toString('hex')}`;
  const token = randomBytes(24).toString('base64url');
  let inspection: QueueInspection;
  let server: RunningServer;
  let base: string;
  const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

  before(async () => {
    inspection = new QueueInspection(redisConnectionOptions(TEST_REDIS_URL), prefix);
    const runs = inspection.queues.find((q) => q.name === QUEUES.runs);
    // Nothing processes this prefix: the job stays waiting for the dashboard to show.
    await runs?.add('training-run', { runId: 'r1' }, { jobId: 'r1' });
    server = await startDashboard(inspection.queues, { port: 0, host: '127.0.0.1', token, readOnly: true });
    base = `http://127.0.0.1:${server.port}`;
  });
  after(async () => {
    await server?.close();
    await inspection?.close();
    await deleteRedisKeys(prefix);
  });

  it('answers 401 without the token, with a wrong one, a wrong query token or a forged cookie', async () => {
    const refused = [
      await fetch(`${base}/`),
      await fetch(`${base}/api/queues`),
      await fetch(`${base}/api/queues`, { headers: bearer(`${token}x`) }),
      await fetch(`${base}/api/queues`, { headers: bearer(token.slice(0, -1)) }),
      await fetch(`${base}/api/queues`, { headers: { authorization: token } }),
      await fetch(`${base}/?token=not-the-token`, { redirect: 'manual' }),
      await fetch(`${base}/api/queues`, { headers: { cookie: `${DASHBOARD_COOKIE}=${token}` } }),
    ];
    for (const response of refused) {
      assert.equal(response.status, 401, response.url);
      assert.equal(response.headers.get('set-cookie'), null);
      assert.doesNotMatch(await response.text(), /faceoff-runs/);
    }
    assert.match(refused[0]?.headers.get('www-authenticate') ?? '', /^Bearer/);
  });

  it('lists both queues through the Bull Board API with the bearer token, read from Redis', async () => {
    const response = await fetch(`${base}/api/queues`, { headers: bearer(token) });
    assert.equal(response.status, 200);
    const { queues } = (await response.json()) as { queues: QueueView[] };
    assert.deepEqual(queues.map((q) => q.name).sort(), [QUEUES.comparisons, QUEUES.runs].sort());
    assert.equal(queues.find((q) => q.name === QUEUES.runs)?.counts.waiting, 1);
  });

  it('sets a session cookie (not the token) on /?token= once, and lets the browser in with it', async () => {
    const login = await fetch(`${base}/?token=${encodeURIComponent(token)}`, { redirect: 'manual' });
    assert.equal(login.status, 302);
    assert.equal(login.headers.get('location'), '/', 'the token leaves the address bar');
    const setCookie = login.headers.get('set-cookie') ?? '';
    assert.match(setCookie, new RegExp(`^${DASHBOARD_COOKIE}=[\\w-]+; Path=/; HttpOnly; SameSite=Strict`));
    assert.ok(!setCookie.includes(token));
    const cookie = setCookie.split(';')[0] ?? '';

    const page = await fetch(`${base}/`, { headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>Faceoff queues<\/title>/);
    const api = await fetch(`${base}/api/queues`, { headers: { cookie: `other=1; ${cookie}` } });
    assert.equal(api.status, 200);
    assert.equal(((await api.json()) as { queues: QueueView[] }).queues.length, 2);

    const deep = await fetch(`${base}/api/queues?page=1&token=${encodeURIComponent(token)}`, {
      redirect: 'manual',
    });
    assert.equal(deep.status, 302);
    assert.equal(deep.headers.get('location'), '/api/queues?page=1');
  });

  it('is read-only: emptying a queue is refused and the job stays', async () => {
    const response = await fetch(`${base}/api/queues/${QUEUES.runs}/empty`, {
      method: 'PUT',
      headers: bearer(token),
    });
    assert.equal(response.status, 405);
    const depths = await inspection.depths();
    assert.equal(depths.find((d) => d.queue === QUEUES.runs && d.state === 'waiting')?.count, 1);
  });
});
