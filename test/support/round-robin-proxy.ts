/**
 * A small load balancer on 127.0.0.1: each request goes to the next backend in turn, with its
 * method, path, headers and body unchanged, and the backend's answer comes back as it is. Backends
 * can be replaced while it runs (a replica restarted on another port).
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  url: string;
  /** Which backend (its index) took each request, in order. */
  readonly routed: number[];
  /** Replaces the backend at `index` (a restarted replica listening on another port). */
  setBackend(index: number, port: number): void;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(ports: number[]): Promise<RoundRobinProxy> {
  const backends = [...ports];
  const routed: number[] = [];
  let next = 0;
  const server: Server = createServer((incoming, answer) => {
    const index = next;
    next = (next + 1) % backends.length;
    routed.push(index);
    const forwarded = request(
      {
        host: '127.0.0.1',
        port: backends[index],
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (response) => {
        answer.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(answer);
      },
    );
    forwarded.on('error', (e) => {
      answer.writeHead(502, { 'content-type': 'text/plain' });
      answer.end(`backend ${index} unreachable: ${e.message}`);
    });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    routed,
    setBackend: (index, port) => {
      backends[index] = port;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
