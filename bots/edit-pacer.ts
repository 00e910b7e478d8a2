/**
 * Progress edits within the platforms' limits: at most one edit per conversation per interval
 * (about a second), and the latest state wins: an edit still waiting for its turn when a newer
 * edit of the same message arrives is dropped, as the newer one carries everything it would have
 * shown. New messages (a finished comparison's announcement, a failure notice) are never paced
 * or dropped here. Per process: replicas each pace their own edits.
 */

export interface EditTicket {
  conversation: string;
  key: string;
  generation: number;
}

export class EditPacer {
  private readonly latest = new Map<string, number>();
  private readonly nextAllowed = new Map<string, number>();
  /** Edits dropped because a newer one of the same message came (for the load report). */
  superseded = 0;

  constructor(
    private readonly intervalMs = 1000,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    /** Conversations remembered at most (oldest forgotten first). */
    private readonly limit = 10_000,
  ) {}

  /** Taken when the edit is asked for, before it waits for anything else. */
  ticket(conversation: string, key: string): EditTicket {
    const id = `${conversation}\u0000${key}`;
    const generation = (this.latest.get(id) ?? 0) + 1;
    this.latest.delete(id);
    this.latest.set(id, generation);
    this.trim(this.latest);
    return { conversation, key, generation };
  }

  /**
   * Waits until the conversation may be edited again; false when a newer edit of the same message
   * was asked for meanwhile (skip this one). Call it where edits of one conversation are serialised.
   */
  async turn(ticket: EditTicket): Promise<boolean> {
    const id = `${ticket.conversation}\u0000${ticket.key}`;
    const wait = (this.nextAllowed.get(ticket.conversation) ?? 0) - this.now();
    if (wait > 0) await this.sleep(wait);
    if ((this.latest.get(id) ?? 0) !== ticket.generation) {
      this.superseded += 1;
      return false;
    }
    this.nextAllowed.delete(ticket.conversation);
    this.nextAllowed.set(ticket.conversation, this.now() + this.intervalMs);
    this.trim(this.nextAllowed);
    return true;
  }

  private trim(map: Map<string, number>): void {
    while (map.size > this.limit) {
      const oldest = map.keys().next().value;
      if (oldest === undefined) return;
      map.delete(oldest);
    }
  }
}

/** FACEOFF_CHAT_EDIT_INTERVAL_MS: the least time between two edits in one conversation (default 1000). */
export function chatEditIntervalMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env.FACEOFF_CHAT_EDIT_INTERVAL_MS?.trim();
  if (!raw) return 1000;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0 || ms > 60_000)
    throw new Error(
      `FACEOFF_CHAT_EDIT_INTERVAL_MS: "${raw}" is not a whole number of milliseconds from 0 to 60000`,
    );
  return ms;
}
