/**
 * Slack delivers again when an acknowledgement is late (`x-slack-retry-num`, Socket Mode
 * `retry_attempt`), and users double-click. Every handler claims a key before doing anything
 * that writes: only the first claim proceeds (a unique insert, so it holds across processes).
 */
import type { DeliveryRepository } from '../../src/persistence/index';

export type DeliveryClaim = Pick<DeliveryRepository, 'firstTime'>;

export const deliveryKeys = {
  /** A slash command invocation: its trigger id is unique per invocation and the same on a retry. */
  command: (team: string, triggerId: string) => `slack:command:${team}:${triggerId}`,
  /** An Events API event (message, file share). */
  event: (team: string, eventId: string) => `slack:event:${team}:${eventId}`,
  /** One questionnaire answer per question message: a second click on it (or a retry) is dropped. */
  questionMessage: (team: string, channel: string, messageTs: string) =>
    `slack:question:${team}:${channel}:${messageTs}`,
  /** Any other control: the same control of the same message pressed with the same value. */
  control: (team: string, channel: string, messageTs: string, actionId: string, value: string) =>
    `slack:control:${team}:${channel}:${messageTs}:${actionId}:${value}`,
  /** A submitted modal: one submission per view. */
  view: (team: string, viewId: string) => `slack:view:${team}:${viewId}`,
};

export function claimDelivery(deliveries: DeliveryClaim, key: string): Promise<boolean> {
  return deliveries.firstTime(key);
}
