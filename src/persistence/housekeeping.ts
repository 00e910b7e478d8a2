/**
 * Bounded growth of what the chat platforms leave behind: processed delivery ids (kept long
 * enough to drop a platform's re-deliveries), questionnaires whose time ran out, outbox notices
 * posted (or given up on) a week ago, and message keys nothing posted under or edited for 30 days. Purged once at start and then on a schedule, for every
 * platform alike.
 */
import type { DeliveryRepository } from './delivery-repository';
import type { OutboxRepository } from './outbox-repository';
import type { PostedMessageRepository } from './posted-message-repository';
import type { QuestionnaireSessionRepository } from './questionnaire-session-repository';

const HOUR_MS = 3_600_000;
/** Delivery ids are remembered this long: platforms re-deliver within minutes, not days. */
export const DELIVERY_MEMORY_MS = 24 * HOUR_MS;
/** Posted notices are kept this long (what was said, and when, for an operator to look up). */
export const NOTICE_MEMORY_MS = 7 * 24 * HOUR_MS;
/** A message key unused this long is forgotten (a job's progress is edited every few seconds while it runs). */
export const MESSAGE_KEY_MEMORY_MS = 30 * 24 * HOUR_MS;

export interface HousekeepingOptions {
  deliveries: Pick<DeliveryRepository, 'purgeOlderThan'>;
  sessions: Pick<QuestionnaireSessionRepository, 'purgeExpired'>;
  outbox?: Pick<OutboxRepository, 'purgeFinishedBefore'>;
  postedMessages?: Pick<PostedMessageRepository, 'purgeUnusedSince'>;
  /** Between purges (default an hour). */
  intervalMs?: number;
  deliveryMemoryMs?: number;
  now?: () => Date;
  log?: (message: string) => void;
}

export interface Purged {
  deliveries: number;
  sessions: number;
  notices: number;
  messageKeys: number;
}

export interface Housekeeping {
  /** One purge now; a failure of either part is logged and counted as nothing purged. */
  runOnce(): Promise<Purged>;
  stop(): void;
}

export function startHousekeeping(options: HousekeepingOptions): Housekeeping {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const memory = options.deliveryMemoryMs ?? DELIVERY_MEMORY_MS;
  const attempt = async (what: string, purge: () => Promise<number>) => {
    try {
      return await purge();
    } catch (e) {
      log(`housekeeping: could not purge ${what} (${(e as Error).message}); trying again next time`);
      return 0;
    }
  };
  const runOnce = async (): Promise<Purged> => {
    const at = now();
    const purged = {
      deliveries: await attempt('processed delivery ids', () =>
        options.deliveries.purgeOlderThan(new Date(at.getTime() - memory)),
      ),
      sessions: await attempt('expired questionnaires', () => options.sessions.purgeExpired(at)),
      notices: await attempt('posted notices', async () =>
        options.outbox ? options.outbox.purgeFinishedBefore(new Date(at.getTime() - NOTICE_MEMORY_MS)) : 0,
      ),
      messageKeys: await attempt('unused message keys', async () =>
        options.postedMessages
          ? options.postedMessages.purgeUnusedSince(new Date(at.getTime() - MESSAGE_KEY_MEMORY_MS))
          : 0,
      ),
    };
    if (purged.deliveries || purged.sessions || purged.notices || purged.messageKeys)
      log(
        `housekeeping: purged ${purged.deliveries} processed delivery id(s), ${purged.sessions} expired questionnaire(s), ${purged.notices} posted notice(s) and ${purged.messageKeys} unused message key(s)`,
      );
    return purged;
  };
  let busy = false;
  const tick = () => {
    if (busy) return; // a slow database: one purge at a time
    busy = true;
    void runOnce().finally(() => {
      busy = false;
    });
  };
  const timer = setInterval(tick, options.intervalMs ?? HOUR_MS);
  timer.unref();
  tick();
  return { runOnce, stop: () => clearInterval(timer) };
}
