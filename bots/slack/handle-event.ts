/**
 * One neutral event through the core and back: the engine (which also decides who may start GPU
 * work), then the replies into Slack. Failures are logged (without secrets) and the user is told.
 */
import { FileTransferError, type IncomingEvent } from '../../src/chat/incoming';
import type { Reply } from '../../src/chat/replies';
import type { SlackDeps } from './deps';
import { type DeliveryTarget, slackErrorCode } from './post/poster';

const FAILED: Reply = {
  text: 'Something went wrong while handling that; it has been logged. Try again, or see /faceoff help.',
  ephemeral: true,
};

export async function handleIncoming(
  deps: SlackDeps,
  event: IncomingEvent,
  target: DeliveryTarget,
): Promise<Reply[]> {
  try {
    const replies = await deps.engine.handle(event);
    await deps.poster.deliver(target, replies);
    return replies;
  } catch (e) {
    deps.log(`slack: a ${event.kind} event failed: ${slackErrorCode(e) ?? (e as Error).message}`);
    const reply =
      e instanceof FileTransferError
        ? { text: `Could not download the file: ${e.message}.`, ephemeral: true }
        : FAILED;
    await deps.poster.deliver(target, [reply]).catch(() => {});
    return [];
  }
}
