/**
 * The queue dashboard for operators: Bull Board (its Express adapter) showing both BullMQ queues,
 * behind the dashboard token (see dashboard-access.ts). Read-only unless configured otherwise.
 */
import { createServer, type RequestListener } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { DashboardSettings } from './config';
import { DashboardAccess } from './dashboard-access';
import { listen, type RunningServer } from './http-listen';

const UNAUTHORIZED =
  'unauthorized: send "Authorization: Bearer <FACEOFF_DASHBOARD_TOKEN>", or open /?token=<FACEOFF_DASHBOARD_TOKEN> once\n';

export async function startDashboard(queues: Queue[], settings: DashboardSettings): Promise<RunningServer> {
  const board = new ExpressAdapter();
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: settings.readOnly })),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Faceoff queues' } },
  });
  const app = board.getRouter() as RequestListener;
  const access = new DashboardAccess(settings.token);
  const server = createServer((req, res) => {
    const decision = access.check(req);
    if (decision.kind === 'deny') {
      res
        .writeHead(401, {
          'content-type': 'text/plain',
          'www-authenticate': 'Bearer realm="faceoff-dashboard"',
        })
        .end(UNAUTHORIZED);
      return;
    }
    if (decision.kind === 'login') {
      res
        .writeHead(302, {
          location: decision.location,
          'set-cookie': decision.setCookie,
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
        })
        .end();
      return;
    }
    app(req, res);
  });
  return listen(server, settings, '/');
}
