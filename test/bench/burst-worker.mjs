/**
 * Sends one burst of HTTP requests at once from its own thread, as Slack's servers send them from
 * elsewhere: the app's event loop then only serves requests, it does not also make them. Each
 * latency is from a request's send to its answer; answers other than 200 fail the burst.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { url, requests } = workerData;
const start = performance.now();
const latencies = await Promise.all(
  requests.map(async ({ headers, body }) => {
    const sent = performance.now();
    const response = await fetch(url, { method: 'POST', headers, body });
    await response.text();
    if (response.status !== 200) throw new Error(`ack answered ${response.status}`);
    return performance.now() - sent;
  }),
);
parentPort.postMessage({ latencies, wallMs: performance.now() - start });
