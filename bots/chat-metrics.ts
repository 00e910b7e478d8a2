/** What the chat adapters record for operators; the process that serves metrics implements it. */

export type ChatPlatform = 'slack' | 'discord';

/**
 * How a platform API call ended: `ok`; `error` (the platform refused it, e.g. Slack `ok: false` or a
 * Discord 4xx); `rate_limited` (HTTP 429); `http_error` (another status); `network_error` (no answer).
 */
export type ChatCallOutcome = 'ok' | 'error' | 'rate_limited' | 'http_error' | 'network_error';

/** What was acknowledged: a slash command, or a button or menu (Discord components). */
export type AckKind = 'slash_command' | 'component';

export interface ChatMetrics {
  /** One HTTP request to the platform's API (`method`: a Slack method or a Discord route). */
  chatCall(platform: ChatPlatform, method: string, outcome: ChatCallOutcome): void;
  /** Seconds from a request reaching Faceoff's handler to its acknowledgement being sent. */
  acknowledged(platform: ChatPlatform, kind: AckKind, seconds: number): void;
}
