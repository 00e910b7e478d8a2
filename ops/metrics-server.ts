/** The HTTP endpoint Prometheus scrapes: `GET /metrics`, nothing else. */
import { createServer } from 'node:http';
import type { ListenAddress } from './config';
import { listen, type RunningServer } from './http-listen';
import type { FaceoffMetrics } from './metrics';

export async function startMetricsServer(
  metrics: FaceoffMetrics,
  address: ListenAddress,
  log: (message: string) => void = () => {},
): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    metrics.text().then(
      (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text),
      (error: Error) => {
        log(`metrics: could not collect: ${error.message}`);
        res.writeHead(500, { 'content-type': 'text/plain' }).end('could not collect metrics\n');
      },
    );
  });
  return listen(server, address, '/metrics');
}
