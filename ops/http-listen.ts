/** Starting and stopping the operators' HTTP servers (metrics, dashboard). */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from './config';

export interface RunningServer {
  /** The port listened on (the one asked for, or the one picked for port 0). */
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Listens on `address`; rejects on a listen error (a port in use) instead of emitting it. */
export async function listen(server: Server, address: ListenAddress, path: string): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return {
    port,
    url: `http://${host}:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
