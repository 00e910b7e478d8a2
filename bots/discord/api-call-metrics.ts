/**
 * Counts every REST request discord.js makes (messages, interaction callbacks, webhooks) by route
 * and outcome, from the REST manager's `response` events: 429 answers included, retries each counted.
 */
import { type Client, RESTEvents } from 'discord.js';
import type { ChatCallOutcome, ChatMetrics } from '../chat-metrics';

/** `POST /channels/:id/messages`: ids and interaction or webhook tokens never reach a label. */
export function discordRouteOf(method: string, route: string): string {
  const path = decodePath(route.split('?')[0] ?? '')
    .replace(/\/\d+(?=\/|$)/g, '/:id')
    .replace(/^(\/(?:webhooks|interactions)\/:id\/)(?!:token)[^/]+/, '$1:token');
  return `${method.toUpperCase()} ${path}`;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function outcomeOf(status: number): ChatCallOutcome {
  if (status === 429) return 'rate_limited';
  if (status >= 200 && status < 400) return 'ok';
  return status < 500 ? 'error' : 'http_error';
}

/** Starts counting the client's REST calls; returns how to stop. */
export function observeDiscordApiCalls(client: Client, metrics: ChatMetrics): () => void {
  const onResponse = (request: { method: string; route: string }, response: { status: number }) =>
    metrics.chatCall('discord', discordRouteOf(request.method, request.route), outcomeOf(response.status));
  client.rest.on(RESTEvents.Response, onResponse);
  return () => client.rest.off(RESTEvents.Response, onResponse);
}
